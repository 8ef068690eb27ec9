package dev.edgeq.device.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeq.device.DeviceDaemon;
import dev.edgeq.device.config.DeviceConfig;
import dev.edgeq.device.loop.RuntimeFrameClassifier;
import dev.edgeq.device.testing.BrightnessModel;
import dev.edgeq.device.testing.Mosquitto;
import dev.edgeq.device.testing.MqttSend;
import dev.edgeq.device.testing.Subscriber;
import dev.edgeq.device.testing.TestImages;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots on state changes (and only then, or on request) and the set/... commands, through a real Mosquitto. */
class SnapshotsAndCommandsTest {
    @TempDir Path tmp;
    private int written;

    private void frames(Path dir, int left, int n) throws IOException {
        for (int i = 0; i < n; i++, written++) {
            BufferedImage img = new BufferedImage(64, 32, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 32; y++) for (int x = 0; x < 64; x++) img.getRaster().setSample(x, y, 0, x < 32 ? left : 0);
            TestImages.writePng(img, dir.resolve(String.format("f%04d.png", written)));
        }
    }

    /** Raw snapshot payloads (binary JPEG), as a subscriber receives them. */
    private static final class JpegSubscriber implements AutoCloseable {
        final List<byte[]> jpegs = new ArrayList<>();
        final MqttClient client;

        JpegSubscriber(String url, String topic) throws Exception {
            client = new MqttClient(url, "jpeg-sub-" + System.nanoTime(), new MemoryPersistence());
            client.setCallback(new MqttCallback() {
                @Override public void connectionLost(Throwable cause) {}
                @Override public void messageArrived(String t, MqttMessage m) {
                    synchronized (jpegs) { jpegs.add(m.getPayload()); }
                }
                @Override public void deliveryComplete(IMqttDeliveryToken token) {}
            });
            client.connect();
            client.subscribe(topic, 1);
        }

        int count() { synchronized (jpegs) { return jpegs.size(); } }
        byte[] last() { synchronized (jpegs) { return jpegs.get(jpegs.size() - 1); } }

        @Override public void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }

    private static void await(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long end = System.currentTimeMillis() + 15_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    private static void send(String url, String topic, String payload) throws Exception {
        MqttSend.once(url, topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSnapshotPerStateChangeOrRequestAndOnlyDocumentedCommands() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path model = BrightnessModel.write(tmp.resolve("b.eqm"));
        Path snapDir = tmp.resolve("snapshots");
        String root = "edgeq/snap1/";
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
             Subscriber sub = new Subscriber(broker.url(), "snap-sub", root + "+/door", false);
             JpegSubscriber jpeg = new JpegSubscriber(broker.url(), root + "snapshot/door");
             JpegSubscriber full = new JpegSubscriber(broker.url(), root + "snapshot-frame/door");
             Subscriber status = new Subscriber(broker.url(), "status-sub", root + "model/status", false)) {
            DeviceConfig c = new DeviceConfig();
            c.model = model.toString();
            c.source = "dir:" + images;
            c.broker = broker.url();
            c.deviceId = "snap1";
            c.outboxDir = tmp.resolve("outbox").toString();
            c.statsInterval = 0;
            c.homeAssistant = false;
            c.regions = List.of("door:0,0,0.5,1");
            c.snapshot = "both";
            c.snapshotDir = snapDir.toString();
            c.snapshotKeep = 2;
            c.snapshotFullFrame = true;
            c.validateRegionsAndUpdates();
            List<String> log = new ArrayList<>();
            try (RuntimeFrameClassifier cl = RuntimeFrameClassifier.open(model, 2)) {
                DeviceDaemon daemon = new DeviceDaemon(c, cl, new DeviceDaemon.Options(false, false,
                        new PrintStream(OutputStream.nullOutputStream()), 20_000), s -> { synchronized (log) { log.add(s); } });
                Thread t = new Thread(() -> {
                    try {
                        daemon.run();
                    } catch (Exception e) {
                        synchronized (log) { log.add("run failed: " + e); }
                    }
                });
                t.start();
                ObjectMapper om = new ObjectMapper();
                frames(images, 255, 3);
                await(() -> sub.on(root + "state/door").size() == 1 && jpeg.count() == 1, "first state and snapshot; log " + log);
                BufferedImage first = ImageIO.read(new ByteArrayInputStream(jpeg.last()));
                assertEquals(32, first.getWidth(), "the region, not the frame");
                assertEquals(32, first.getHeight());
                assertTrue(first.getRaster().getSample(16, 16, 0) > 200, "white region");
                await(() -> full.count() == 1, "full-frame snapshot");
                BufferedImage whole = ImageIO.read(new ByteArrayInputStream(full.last()));
                assertEquals(64, whole.getWidth());
                assertEquals(32, whole.getHeight());

                frames(images, 255, 3); // same state: no snapshot
                await(() -> sub.on(root + "classification/door").size() == 6, "6 classifications");
                frames(images, 0, 3);
                await(() -> sub.on(root + "state/door").size() == 2 && jpeg.count() == 2, "second state; log " + log);
                assertTrue(ImageIO.read(new ByteArrayInputStream(jpeg.last())).getRaster().getSample(16, 16, 0) < 50, "black region");
                frames(images, 255, 3);
                await(() -> sub.on(root + "state/door").size() == 3 && jpeg.count() == 3, "third state");
                assertEquals(3, jpeg.count(), "one snapshot per state change, none in between");
                try (var files = Files.list(snapDir)) {
                    List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
                    assertEquals(2, names.size(), "the folder keeps the newest 2: " + names);
                    assertTrue(names.get(0).endsWith("_door_bright.jpg") && names.get(1).endsWith("_door_bright_frame.jpg"), names.toString());
                }

                // commands: a snapshot on request, publish mode, unknown topics logged once
                send(broker.url(), root + "set/snapshot", "door");
                send(broker.url(), root + "set/publish", "on-change");
                send(broker.url(), root + "set/bogus", "x");
                send(broker.url(), root + "set/bogus", "y");
                Thread.sleep(500);
                int before = sub.on(root + "classification/door").size();
                frames(images, 255, 3);
                await(() -> jpeg.count() == 4, "requested snapshot; log " + log);
                send(broker.url(), root + "set/publish", "every-frame");
                Thread.sleep(500);
                frames(images, 255, 1);
                await(() -> sub.on(root + "classification/door").size() == before + 1,
                        "on-change: none of the 3 unchanged frames published; every-frame again: the next one is");
                assertEquals(3, sub.on(root + "state/door").size(), "a request is not a state change");
                synchronized (log) {
                    assertEquals(1, log.stream().filter(l -> l.contains("unknown command topic " + root + "set/bogus")).count(), log.toString());
                }

                // set/model-reload: the --model file again, swapped in at the next frame and reported
                int statuses = status.messages().size();
                send(broker.url(), root + "set/model-reload", "");
                Thread.sleep(300);
                frames(images, 255, 1);
                assertTrue(status.await(ms -> ms.size() > statuses, 10_000), "log " + log);
                com.fasterxml.jackson.databind.JsonNode reloaded = om.readTree(status.messages().get(statuses).payload());
                assertEquals("running", reloaded.get("state").asText(), reloaded.toString());
                assertTrue(reloaded.get("message").asText().startsWith("updated from brightness"), reloaded.toString());
                daemon.stopAndWait(15_000);
                t.join(15_000);
                for (Subscriber.Msg m : sub.on(root + "state/door")) om.readTree(m.payload());
            }
        }
    }
}
