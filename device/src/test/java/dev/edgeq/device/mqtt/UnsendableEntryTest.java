package dev.edgeq.device.mqtt;

import dev.edgeq.device.DeviceDaemon;
import dev.edgeq.device.config.DeviceConfig;
import dev.edgeq.device.loop.RuntimeFrameClassifier;
import dev.edgeq.device.testing.Mosquitto;
import dev.edgeq.device.testing.Subscriber;
import dev.edgeq.device.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An outbox entry the MQTT client can never send is moved aside instead of blocking the queue forever. */
class UnsendableEntryTest {
    @TempDir Path tmp;

    @Test
    void wildcardTopicEntryIsMovedAsideCountedAndLoggedOnceAndTheRestIsDelivered() throws Exception {
        Path outboxDir = tmp.resolve("outbox");
        // An outbox as an older version (which accepted --device-id '+') left it: good entries around bad ones.
        Outbox old = new Outbox(outboxDir, 100, false, s -> { });
        String good = "edgeq/u1/classification";
        for (int i = 0; i < 5; i++) {
            String topic = i == 1 || i == 3 ? "edgeq/+/classification" : good;
            old.append(old.nextSeq(), topic, 1, false, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
             Subscriber sub = new Subscriber(broker.url(), "u1-sub", "edgeq/#", true)) {
            DeviceConfig c = new DeviceConfig();
            c.model = model.toString();
            c.source = "dir:" + empty;
            c.broker = broker.url();
            c.deviceId = "u1";
            c.outboxDir = outboxDir.toString();
            c.statsInterval = 0;
            c.homeAssistant = false;
            int code;
            try (RuntimeFrameClassifier cl = RuntimeFrameClassifier.open(model, 3)) {
                code = new DeviceDaemon(c, cl, new DeviceDaemon.Options(true, false, System.out, 20_000), log::add).run();
            }
            assertEquals(0, code, "" + log);
            assertTrue(sub.await(ms -> Subscriber.count(ms, good, null) == 3, 10_000), "" + sub.messages());
        }
        try (Stream<Path> left = Files.list(outboxDir)) {
            assertEquals(0, left.filter(p -> p.toString().endsWith(".msg")).count(), "the queue drained");
        }
        try (Stream<Path> aside = Files.list(outboxDir.resolve(Outbox.REJECTED))) {
            assertEquals(2, aside.count(), "both unsendable entries kept aside for inspection");
        }
        List<String> firsts = log.stream().filter(l -> l.contains("can never be sent")).toList();
        assertEquals(1, firsts.size(), "logged once: " + log);
        assertTrue(firsts.get(0).contains("wildcard") && firsts.get(0).contains(Outbox.REJECTED), firsts.get(0));
        assertTrue(log.stream().anyMatch(l -> l.contains("1 more messages lost (cannot be sent)")), "the second one is summed up at the end: " + log);
    }
}
