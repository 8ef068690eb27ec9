package dev.edgeq.device.mqtt;

import dev.edgeq.device.DeviceDaemon;
import dev.edgeq.device.config.DeviceConfig;
import dev.edgeq.device.loop.RuntimeFrameClassifier;
import dev.edgeq.device.testing.Mosquitto;
import dev.edgeq.device.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** ssl:// to a plain MQTT port: the log says what is likely wrong, not only "Connection reset". */
class TlsToPlainPortTest {
    @TempDir Path tmp;

    @Test
    void tlsToAPlainListenerGetsAHint() throws Exception {
        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
             RuntimeFrameClassifier cl = RuntimeFrameClassifier.open(model, 3)) {
            DeviceConfig c = new DeviceConfig();
            c.model = model.toString();
            c.source = "dir:" + empty;
            c.broker = "ssl://127.0.0.1:" + broker.port();
            c.deviceId = "tls";
            c.outboxDir = tmp.resolve("outbox").toString();
            c.statsInterval = 0;
            DeviceDaemon d = new DeviceDaemon(c, cl, new DeviceDaemon.Options(false, false, System.out, 1000), log::add);
            Thread t = new Thread(() -> {
                try {
                    d.run();
                } catch (Exception e) {
                    log.add("run failed: " + e);
                }
            });
            t.start();
            try {
                long end = System.currentTimeMillis() + 30_000;
                while (log.stream().noneMatch(l -> l.contains("cannot connect")) && System.currentTimeMillis() < end) Thread.sleep(100);
            } finally {
                d.stopAndWait(10_000);
                t.join(10_000);
            }
        }
        String line = log.stream().filter(l -> l.contains("cannot connect")).findFirst().orElse("none in " + log);
        assertTrue(line.contains("is this port a plain MQTT listener? Use tcp://"), line);
    }
}
