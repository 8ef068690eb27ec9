package dev.edgeq.device.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeq.device.DeviceDaemon;
import dev.edgeq.device.config.DeviceConfig;
import dev.edgeq.device.loop.RuntimeFrameClassifier;
import dev.edgeq.device.testing.Mosquitto;
import dev.edgeq.device.testing.Subscriber;
import dev.edgeq.device.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Classifications from a folder of images through a real Mosquitto to a subscriber, with every documented field. */
class RoundTripTest {
    @TempDir Path tmp;

    @Test
    void everyImageArrivesWithAllDocumentedFields() throws Exception {
        int n = 25;
        Path images = TestImages.imageDir(tmp.resolve("images"), n);
        Files.write(images.resolve("zz-corrupt.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
             Subscriber sub = new Subscriber(broker.url(), "rt-sub", "#", false)) {
            DeviceConfig c = new DeviceConfig();
            c.model = model.toString();
            c.source = "dir:" + images;
            c.broker = broker.url();
            c.deviceId = "rt1";
            c.publish = "every-frame";
            c.outboxDir = tmp.resolve("outbox").toString();
            c.statsInterval = 0.5;
            c.topK = 2;
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            List<String> log = new ArrayList<>();
            int code;
            try (RuntimeFrameClassifier cl = RuntimeFrameClassifier.open(model, c.topK)) {
                code = new DeviceDaemon(c, cl, new DeviceDaemon.Options(true, true, new PrintStream(printed, true), 20_000),
                        s -> { synchronized (log) { log.add(s); } }).run();
            }
            assertEquals(0, code, "log: " + log);
            String root = "edgeq/rt1/";
            assertTrue(sub.await(ms -> Subscriber.count(ms, root + "classification", null) >= n
                    && Subscriber.count(ms, root + "status", "stopped") == 1, 10_000), "got " + sub.messages());

            ObjectMapper om = new ObjectMapper();
            List<Long> seqs = new ArrayList<>();
            List<String> frames = new ArrayList<>();
            for (Subscriber.Msg m : sub.on(root + "classification")) {
                JsonNode j = om.readTree(m.payload());
                seqs.add(j.get("seq").asLong());
                frames.add(j.get("frame").asText());
                Instant.parse(j.get("timestamp").asText());
                assertTrue(List.of("a", "b", "c").contains(j.get("label").asText()), m.payload());
                double score = j.get("score").asDouble();
                assertTrue(score > 0.33 && score <= 1.0, m.payload()); // top-1 of 3 classes
                assertEquals(2, j.get("top_k").size());
                assertEquals(j.get("label").asText(), j.get("top_k").get(0).get("label").asText());
                assertTrue(j.get("top_k").get(1).get("score").asDouble() <= score);
                assertEquals(score, j.get("scores").get(j.get("label").asText()).asDouble(), 1e-9);
                assertEquals("small-cnn", j.get("model").get("name").asText());
                assertEquals(12, j.get("model").get("sha256").asText().length());
                assertTrue(j.get("inference_ms").asDouble() >= 0);
                assertTrue(j.get("latency_ms").asDouble() >= j.get("inference_ms").asDouble());
                assertEquals("dir:" + images, j.get("source").asText());
            }
            assertEquals(n, seqs.size(), "one message per image, the corrupt one skipped");
            for (int i = 1; i < seqs.size(); i++) assertEquals(seqs.get(i - 1) + 1, seqs.get(i), "consecutive seq " + seqs);
            for (int i = 0; i < n; i++) assertEquals(String.format("img-%05d.png", i), frames.get(i));
            // status: online then stopped (both retained at publish time, received live here)
            List<Subscriber.Msg> status = sub.on(root + "status");
            assertEquals("online", status.get(0).payload());
            assertEquals("stopped", status.get(status.size() - 1).payload());
            // stats
            List<Subscriber.Msg> stats = sub.on(root + "stats");
            assertTrue(!stats.isEmpty(), "stats published");
            JsonNode last = om.readTree(stats.get(stats.size() - 1).payload());
            for (String f : List.of("fps", "latency_ms", "frames", "dropped", "skipped", "published", "queued", "outbox_dropped", "reconnects")) {
                assertTrue(last.has(f), "stats field " + f + " in " + last);
            }
            assertEquals(n, last.get("frames").asLong());
            assertEquals(1, last.get("skipped").asLong(), "the corrupt image is counted");
            assertEquals(n, last.get("published").asLong());
            assertEquals(0, last.get("queued").asLong());
            // Home Assistant discovery, device-based, retained
            List<Subscriber.Msg> disc = sub.on("homeassistant/device/edgeq_rt1/config");
            assertEquals(1, disc.size(), "discovery sent once");
            JsonNode d = om.readTree(disc.get(0).payload());
            assertEquals("sensor", d.get("cmps").get("edgeq_rt1_label").get("p").asText());
            assertEquals(root + "classification", d.get("cmps").get("edgeq_rt1_label").get("state_topic").asText());
            assertEquals(root + "status", d.get("availability").get(0).get("topic").asText());
            // --print output: one line per message as a subscriber receives it
            String out = printed.toString();
            long printedClassifications = out.lines().filter(l -> l.startsWith(root + "classification {")).count();
            assertEquals(n, printedClassifications, out);
            assertEquals(1, log.stream().filter(l -> l.contains("zz-corrupt.png")).count(), "corrupt file logged once: " + log);
        }
    }
}
