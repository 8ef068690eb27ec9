package dev.edgeq.device;

import dev.edgeq.cli.CaptureCommand;
import dev.edgeq.device.testing.ChildJvm;
import dev.edgeq.device.testing.Mosquitto;
import dev.edgeq.device.testing.Subscriber;
import dev.edgeq.device.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands as users run them, in separate JVMs. */
class MainJobTest {
    @TempDir Path tmp;

    @Test
    void onceWithPrintUsesTheEmbeddedBrokerAndRunsIn32MegabytesOfHeap() throws Exception {
        int n = 12;
        Path images = TestImages.imageDir(tmp.resolve("samples"), n);
        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        try (ChildJvm dev = ChildJvm.start(tmp.resolve("out.log"), Map.of(), List.of("-Xmx32m"),
                "--model", model.toString(), "--source", "dir:" + images, "--once", "--print", "--device-id", "main",
                "--embedded-port", "0", "--outbox-dir", tmp.resolve("outbox").toString())) {
            assertEquals(0, dev.waitFor(120_000), dev.output());
            String out = dev.output();
            List<String> lines = out.lines().filter(l -> l.startsWith("edgeq/main/classification {\"seq\":")).toList();
            assertEquals(n, lines.size(), out);
            assertTrue(out.contains("edgeq/main/status online"), out);
            assertTrue(out.contains("edgeq/main/stats {"), out);
            assertTrue(out.contains("started the embedded MQTT broker on tcp://127.0.0.1:"), out);
            assertTrue(!out.contains("Exception"), out);
        }
    }

    /** The README's main job: the bundled int8 model over the bundled samples, embedded broker, -Xmx32m. */
    @Test
    void bundledModelOverBundledSamples() throws Exception {
        Path model = Path.of("..", "models", "fashion-seedcnn.eqm");
        Path samples = Path.of("..", "samples");
        assertTrue(Files.isRegularFile(model), "bundled model " + model.toAbsolutePath() + " (from the training issue)");
        long images;
        try (Stream<Path> s = Files.list(samples)) {
            images = s.filter(p -> p.toString().endsWith(".png")).count();
        }
        assertTrue(images >= 10, "bundled samples");
        try (ChildJvm dev = ChildJvm.start(tmp.resolve("out.log"), Map.of(), List.of("-Xmx32m"),
                "--model", model.toString(), "--source", "dir:" + samples, "--once", "--print", "--device-id", "bundled",
                "--embedded-port", "0", "--outbox-dir", tmp.resolve("outbox").toString())) {
            assertEquals(0, dev.waitFor(120_000), dev.output());
            com.fasterxml.jackson.databind.ObjectMapper om = new com.fasterxml.jackson.databind.ObjectMapper();
            int right = 0;
            int total = 0;
            for (String line : dev.output().lines().filter(l -> l.startsWith("edgeq/bundled/classification ")).toList()) {
                com.fasterxml.jackson.databind.JsonNode j = om.readTree(line.substring(line.indexOf(' ') + 1));
                String expected = j.get("frame").asText().replaceAll("-\\d+\\.png$", "");
                String got = j.get("label").asText().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
                if (expected.equals(got)) right++;
                total++;
                assertEquals("fashion-seedcnn", j.get("model").get("name").asText());
            }
            assertEquals(images, total, dev.output());
            System.out.printf("main job: bundled int8 seedcnn labels %d of %d sample images right%n", right, total);
            assertTrue(right >= total * 8 / 10, right + " of " + total + " right");
        }
    }

    @Test
    void sigtermStopsCleanlyAndPublishesStopped() throws Exception {
        Path images = TestImages.imageDir(tmp.resolve("images"), 3);
        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
             Subscriber sub = new Subscriber(broker.url(), "term-sub", "edgeq/term/#", false);
             ChildJvm dev = ChildJvm.start(tmp.resolve("dev.log"), "--model", model.toString(), "--source", "dir:" + images,
                     "--broker", broker.url(), "--device-id", "term", "--publish", "every-frame", "--outbox-dir", tmp.resolve("outbox").toString())) {
            assertTrue(sub.await(ms -> Subscriber.count(ms, "edgeq/term/classification", null) == 3, 90_000), dev.output());
            dev.process().destroy(); // SIGTERM
            int code = dev.waitFor(20_000);
            assertEquals(143, code, "exited on SIGTERM: " + dev.output());
            // systemd counts 143 as a failure unless the unit says otherwise
            assertTrue(Files.readAllLines(Path.of("..", "tools", "edgeq.service")).contains("SuccessExitStatus=" + code),
                    "tools/edgeq.service lists SuccessExitStatus=" + code);
            assertTrue(sub.await(ms -> Subscriber.count(ms, "edgeq/term/status", "stopped") == 1, 5_000), "" + sub.messages());
            assertEquals(0, Subscriber.count(sub.messages(), "edgeq/term/status", "offline"), "a clean exit is not a last will");
        }
    }

    /** The docs promise a flush of up to 3 s on SIGTERM; with the broker down there is nothing to wait for. */
    @Test
    void sigtermWithTheBrokerDownExitsWithinTheDocumentedFlush() throws Exception {
        Path images = TestImages.imageDir(tmp.resolve("images"), 3);
        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        // Never connected: nothing listens on the port.
        sigtermWithBrokerDown(images, model, "never", Mosquitto.freePort(), null);
        // Connected, then the broker died: Paho is reconnecting when SIGTERM comes.
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"))) {
            sigtermWithBrokerDown(images, model, "lost", broker.port(), broker);
        }
    }

    private void sigtermWithBrokerDown(Path images, Path model, String id, int port, Mosquitto broker) throws Exception {
        Path outbox = tmp.resolve("outbox-" + id);
        try (Subscriber sub = broker == null ? null : new Subscriber(broker.url(), id + "-sub", "edgeq/" + id + "/classification", false);
             ChildJvm dev = ChildJvm.start(tmp.resolve(id + ".log"), "--model", model.toString(), "--source", "dir:" + images,
                "--broker", "tcp://127.0.0.1:" + port, "--device-id", id, "--outbox-dir", outbox.toString())) {
            long end = System.currentTimeMillis() + 90_000;
            if (broker != null) {
                assertTrue(sub.await(ms -> ms.size() >= 3, 90_000), "the three images delivered first: " + dev.output());
                while (msgs(outbox) > 0 && System.currentTimeMillis() < end) Thread.sleep(100); // acknowledged
                broker.kill9();
                while (!dev.output().contains("connection lost") && System.currentTimeMillis() < end) Thread.sleep(100);
                Files.setLastModifiedTime(Files.copy(images.resolve("img-00000.png"), images.resolve("late.png")),
                        java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 10_000));
                while (msgs(outbox) < 1 && System.currentTimeMillis() < end) Thread.sleep(100);
            } else {
                while (msgs(outbox) < 3 && System.currentTimeMillis() < end) Thread.sleep(100);
            }
            long queued = msgs(outbox);
            assertTrue(queued > 0, dev.output());
            long t0 = System.nanoTime();
            dev.process().destroy(); // SIGTERM
            int code = dev.waitFor(20_000);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(143, code, dev.output());
            System.out.printf("SIGTERM with the broker down (%s): exited after %d ms%n", id, ms);
            assertTrue(ms < 3000, id + ": exited after " + ms + " ms; the docs promise at most a 3 s flush: " + dev.output());
            assertEquals(queued, msgs(outbox), "the queued messages stay for the next start");
        }
    }

    private static long msgs(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".msg")).count();
        }
    }

    @Test
    void captureWritesTheTrainingFolderLayout() throws Exception {
        Path src = tmp.resolve("src");
        for (int i = 0; i < 3; i++) TestImages.writePng(TestImages.gray(20, 10, i), src.resolve("f" + i + ".png"));
        Path out = tmp.resolve("dataset");
        int code = new CommandLine(new CaptureCommand()).execute("--source", "dir:" + src, "--label", "mug", "--count", "3",
                "--out", out.toString(), "--interval", "0");
        assertEquals(0, code);
        List<Path> files;
        try (Stream<Path> s = Files.list(out.resolve("mug"))) {
            files = s.sorted().toList();
        }
        assertEquals(3, files.size());
        for (int i = 0; i < 3; i++) {
            BufferedImage saved = ImageIO.read(files.get(i).toFile());
            BufferedImage orig = TestImages.gray(20, 10, i);
            assertEquals(BufferedImage.TYPE_BYTE_GRAY, saved.getType());
            for (int y = 0; y < 10; y++) for (int x = 0; x < 20; x++) assertEquals(orig.getRaster().getSample(x, y, 0), saved.getRaster().getSample(x, y, 0));
        }
        assertEquals(2, new CommandLine(new CaptureCommand()).execute("--source", "dir:" + src, "--label", "../x", "--out", out.toString()));
    }
}
