package dev.edgeq.device.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeq.device.DeviceDaemon;
import dev.edgeq.device.config.DeviceConfig;
import dev.edgeq.device.loop.RuntimeFrameClassifier;
import dev.edgeq.device.testing.ChildJvm;
import dev.edgeq.device.testing.Mosquitto;
import dev.edgeq.device.testing.Subscriber;
import dev.edgeq.device.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nothing lost: broker killed and restarted, device killed and restarted, device killed (last will). */
class DeliveryTest {
    @TempDir Path tmp;
    private static final ObjectMapper OM = new ObjectMapper();

    private static TreeSet<Long> seqs(Subscriber sub, String topic) throws IOException {
        TreeSet<Long> s = new TreeSet<>();
        for (Subscriber.Msg m : sub.on(topic)) s.add(OM.readTree(m.payload()).get("seq").asLong());
        return s;
    }

    @Test
    void brokerKilledAndRestartedWhile500Qos1MessagesArePublished() throws Exception {
        int n = 500;
        Path images = TestImages.imageDir(tmp.resolve("images"), n);
        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        String topic = "edgeq/b500/classification";
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
             Subscriber sub = new Subscriber(broker.url(), "b500-sub", topic, true)) {
            DeviceConfig c = new DeviceConfig();
            c.model = model.toString();
            c.source = "dir:" + images;
            c.broker = broker.url();
            c.deviceId = "b500";
            c.publish = "every-frame";
            c.maxFps = 100; // 500 frames over ~5 s, so the outage lands in the middle
            c.outboxDir = tmp.resolve("outbox").toString();
            c.statsInterval = 0;
            c.homeAssistant = false;
            AtomicReference<Exception> failure = new AtomicReference<>();
            AtomicInteger code = new AtomicInteger(-1);
            Thread device = new Thread(() -> {
                try (RuntimeFrameClassifier cl = RuntimeFrameClassifier.open(model, 3)) {
                    code.set(new DeviceDaemon(c, cl, new DeviceDaemon.Options(true, false, System.out, 60_000), s -> System.err.println("device: " + s)).run());
                } catch (Exception e) {
                    failure.set(e);
                }
            });
            device.start();
            try {
                assertTrue(sub.await(ms -> ms.size() >= 100, 20_000), "first 100 arrive before the outage");
                broker.kill9();
                int atKill = sub.messages().size();
                Thread.sleep(1500);
                broker.restart();
                device.join(90_000);
                assertTrue(!device.isAlive(), "device finished");
                assertEquals(null, failure.get());
                assertEquals(0, code.get());
                assertTrue(sub.await(ms -> {
                    TreeSet<Long> s = new TreeSet<>();
                    for (Subscriber.Msg m : ms) {
                        try {
                            s.add(OM.readTree(m.payload()).get("seq").asLong());
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    return s.size() >= n;
                }, 30_000), "all " + n + " sequence numbers arrive");
                TreeSet<Long> got = seqs(sub, topic);
                assertEquals(n, got.size());
                assertEquals(n - 1, got.last() - got.first(), "no gaps: " + got.first() + ".." + got.last());
                System.out.printf("broker kill test: %d distinct of %d published, %d messages received (%d duplicates), %d before the kill%n",
                        got.size(), n, sub.messages().size(), sub.messages().size() - got.size(), atKill);
                try (Stream<Path> left = Files.list(tmp.resolve("outbox"))) {
                    assertEquals(0, left.filter(p -> p.toString().endsWith(".msg")).count(), "outbox empty");
                }
            } finally {
                device.interrupt();
                device.join(10_000);
            }
        }
    }

    @Test
    void deviceKilledWithMessagesInItsOutboxDeliversThemAfterRestart() throws Exception {
        int n = 20;
        Path images = TestImages.imageDir(tmp.resolve("images"), n);
        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        Path outbox = tmp.resolve("outbox");
        int port = Mosquitto.freePort(); // nothing listens yet: the device queues everything
        String broker = "tcp://127.0.0.1:" + port;
        try (ChildJvm first = ChildJvm.start(tmp.resolve("first.log"), "--model", model.toString(), "--source", "dir:" + images,
                "--broker", broker, "--device-id", "k1", "--publish", "every-frame", "--outbox-dir", outbox.toString(),
                "--stats-interval", "0")) {
            long end = System.currentTimeMillis() + 90_000; // bounded; generous for a loaded CI machine
            while (countMsgs(outbox) < n && System.currentTimeMillis() < end) Thread.sleep(100);
            assertEquals(n, countMsgs(outbox), "all classifications queued on disk while the broker is down; log: " + first.output());
            first.kill9();
        }
        assertEquals(n, countMsgs(outbox), "entries survive SIGKILL");
        try (Mosquitto m = Mosquitto.start(tmp.resolve("broker"), port, List.of("allow_anonymous true"), List.of());
             Subscriber sub = new Subscriber(m.url(), "k1-sub", "edgeq/k1/classification", true)) {
            Path empty = Files.createDirectories(tmp.resolve("empty"));
            try (ChildJvm second = ChildJvm.start(tmp.resolve("second.log"), "--model", model.toString(), "--source", "dir:" + empty,
                    "--once", "--broker", broker, "--device-id", "k1", "--outbox-dir", outbox.toString(), "--stats-interval", "0")) {
                assertEquals(0, second.waitFor(120_000), second.output());
            }
            assertTrue(sub.await(ms -> ms.size() >= n, 10_000), "received " + sub.messages().size());
            TreeSet<Long> got = seqs(sub, "edgeq/k1/classification");
            assertEquals(n, got.size());
            assertEquals(n - 1, got.last() - got.first());
            assertEquals(0, countMsgs(outbox));
        }
    }

    @Test
    void firstConnectIsRetriedUntilTheBrokerComesUp() throws Exception {
        int n = 10;
        Path images = TestImages.imageDir(tmp.resolve("images"), n);
        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        int port = Mosquitto.freePort();
        DeviceConfig c = new DeviceConfig();
        c.model = model.toString();
        c.source = "dir:" + images;
        c.broker = "tcp://127.0.0.1:" + port;
        c.deviceId = "late";
        c.outboxDir = tmp.resolve("outbox").toString();
        c.statsInterval = 0;
        c.homeAssistant = false;
        AtomicInteger code = new AtomicInteger(-1);
        java.util.List<String> log = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Thread device = new Thread(() -> {
            try (RuntimeFrameClassifier cl = RuntimeFrameClassifier.open(model, 3)) {
                code.set(new DeviceDaemon(c, cl, new DeviceDaemon.Options(true, false, System.out, 30_000), log::add).run());
            } catch (Exception e) {
                code.set(99);
            }
        });
        device.start();
        try {
            Thread.sleep(3500); // attempts at 0, 1, 3 s fail: nothing listens
            assertTrue(device.isAlive());
            assertEquals(1, log.stream().filter(l -> l.contains("cannot connect")).count(), "one line for repeated failures: " + log);
            try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"), port, List.of("allow_anonymous true"), List.of());
                 Subscriber sub = new Subscriber(broker.url(), "late-sub", "edgeq/late/classification", true)) {
                device.join(30_000);
                assertEquals(0, code.get(), "" + log);
                assertTrue(sub.await(ms -> ms.size() >= n, 10_000), "" + sub.messages().size());
                assertEquals(n, seqs(sub, "edgeq/late/classification").size());
            }
        } finally {
            device.interrupt();
            device.join(10_000);
        }
    }

    @Test
    void killedDeviceLeavesOfflineOnStatusThroughItsLastWill() throws Exception {
        Path images = TestImages.imageDir(tmp.resolve("images"), 3);
        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
             Subscriber sub = new Subscriber(broker.url(), "lw-sub", "edgeq/lw/status", false);
             ChildJvm dev = ChildJvm.start(tmp.resolve("dev.log"), "--model", model.toString(), "--source", "dir:" + images,
                     "--broker", broker.url(), "--device-id", "lw", "--outbox-dir", tmp.resolve("outbox").toString())) {
            assertTrue(sub.await(ms -> Subscriber.count(ms, "edgeq/lw/status", "online") >= 1, 90_000), dev.output());
            dev.kill9();
            assertTrue(sub.await(ms -> Subscriber.count(ms, "edgeq/lw/status", "offline") == 1, 15_000), "offline after kill -9: " + sub.messages());
            // retained: a new subscriber sees offline too
            try (Subscriber late = new Subscriber(broker.url(), "lw-late", "edgeq/lw/status", false)) {
                assertTrue(late.await(ms -> ms.size() == 1 && ms.get(0).payload().equals("offline") && ms.get(0).retained(), 5_000), "" + late.messages());
            }
        }
    }

    private static long countMsgs(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".msg")).count();
        }
    }
}
