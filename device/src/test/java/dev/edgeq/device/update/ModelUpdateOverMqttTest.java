package dev.edgeq.device.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeq.device.DeviceDaemon;
import dev.edgeq.device.config.DeviceConfig;
import dev.edgeq.device.loop.RuntimeFrameClassifier;
import dev.edgeq.device.testing.BrightnessModel;
import dev.edgeq.device.testing.JsonStyle;
import dev.edgeq.device.testing.Mosquitto;
import dev.edgeq.device.testing.MqttSend;
import dev.edgeq.device.testing.Subscriber;
import dev.edgeq.device.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model updates over a real Mosquitto while images keep arriving: swapped with no frame lost; bad ones rejected. */
class ModelUpdateOverMqttTest {
    @TempDir Path tmp;
    private final ObjectMapper om = new ObjectMapper();

    private int written;

    private void writeImages(Path dir, int n) throws IOException {
        for (int i = 0; i < n; i++, written++) {
            TestImages.writePng(TestImages.gray(16, 16, written), dir.resolve(String.format("img-%05d.png", written)));
        }
    }

    private List<JsonNode> statuses(Subscriber sub, String root) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (Subscriber.Msg m : sub.on(root + "model/status")) {
            JsonNode j = om.readTree(m.payload());
            JsonStyle.assertSnakeCase(j);
            out.add(j);
        }
        return out;
    }

    @Test
    void aGoodUpdateIsSwappedInWithNoFrameLostAndBadOnesAreRejected() throws Exception {
        Path alice = Signing.keygen(tmp.resolve("keys/alice"));
        Path mallory = Signing.keygen(tmp.resolve("keys/mallory"));
        Path v1 = BrightnessModel.write(tmp.resolve("m/v1.eqm"), "door-v1", 5f);
        Path v2 = BrightnessModel.write(tmp.resolve("m/v2.eqm"), "door-v2", 4f);
        byte[] goodUpdate = Signing.sign(v2, alice, "alice");
        byte[] wrongKey = Signing.sign(v2, mallory, "mallory");
        String tampered = new String(goodUpdate, java.nio.charset.StandardCharsets.UTF_8).replace("\"signer\" : \"alice\"", "\"signer\" : \"bob\"")
                .replace("\"signer\":\"alice\"", "\"signer\":\"bob\"");
        assertTrue(!tampered.equals(new String(goodUpdate, java.nio.charset.StandardCharsets.UTF_8)), "the test changed something");
        Path images = Files.createDirectories(tmp.resolve("images"));
        String root = "edgeq/up1/";
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
             Subscriber sub = new Subscriber(broker.url(), "up-sub", root + "#", false)) {
            DeviceConfig c = new DeviceConfig();
            c.model = v1.toString();
            c.source = "dir:" + images;
            c.broker = broker.url();
            c.deviceId = "up1";
            c.publish = "every-frame";
            c.outboxDir = tmp.resolve("outbox").toString();
            c.modelDir = tmp.resolve("models").toString();
            c.trustedKey = Signing.pub(alice).toString();
            c.statsInterval = 0;
            // Discovery inside the subscribed tree, to see the device's model name follow the update.
            c.discoveryPrefix = "edgeq/up1/ha";
            String discovery = root + "ha/device/edgeq_up1/config";
            List<String> log = new ArrayList<>();
            int[] code = {-1};
            try (RuntimeFrameClassifier cl = RuntimeFrameClassifier.open(v1, 2)) {
                DeviceDaemon daemon = new DeviceDaemon(c, cl, new DeviceDaemon.Options(false, false,
                        new PrintStream(OutputStream.nullOutputStream()), 20_000), s -> { synchronized (log) { log.add(s); } });
                Thread t = new Thread(() -> {
                    try {
                        code[0] = daemon.run();
                    } catch (Exception e) {
                        log.add("run failed: " + e);
                    }
                });
                t.start();
                assertTrue(sub.await(ms -> Subscriber.count(ms, root + "model/status", null) >= 1, 10_000), "log " + log);
                assertEquals("door-v1", statuses(sub, root).get(0).get("model").get("name").asText());
                assertTrue(statuses(sub, root).get(0).get("model").get("signer").isNull(), "the --model file is unsigned");

                writeImages(images, 15);
                assertTrue(sub.await(ms -> Subscriber.count(ms, root + "classification", null) >= 5, 10_000), "log " + log);
                MqttSend.once(broker.url(), root + "model/set", goodUpdate);
                writeImages(images, 15);
                assertTrue(sub.await(ms -> Subscriber.count(ms, root + "model/status", null) >= 2, 10_000), "log " + log);
                JsonNode swapped = statuses(sub, root).get(1);
                assertEquals("running", swapped.get("state").asText(), swapped.toString());
                assertEquals("door-v2", swapped.get("model").get("name").asText());
                assertEquals("alice", swapped.get("model").get("signer").asText());
                assertEquals(sha(v2), swapped.get("model").get("sha256").asText());
                assertTrue(sub.await(ms -> Subscriber.count(ms, discovery, null) >= 2, 10_000), "log " + log);
                List<Subscriber.Msg> configs = sub.on(discovery);
                assertEquals("door-v1", om.readTree(configs.get(0).payload()).get("dev").get("mdl").asText());
                assertEquals("door-v2", om.readTree(configs.get(configs.size() - 1).payload()).get("dev").get("mdl").asText(),
                        "Home Assistant discovery names the model that now runs");

                MqttSend.once(broker.url(), root + "model/set", wrongKey);
                MqttSend.once(broker.url(), root + "model/set", tampered.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                writeImages(images, 10);
                assertTrue(sub.await(ms -> Subscriber.count(ms, root + "model/status", null) >= 4, 10_000), "log " + log);
                JsonNode rejectedKey = statuses(sub, root).get(2);
                JsonNode rejectedTamper = statuses(sub, root).get(3);
                assertEquals("rejected", rejectedKey.get("state").asText());
                assertTrue(rejectedKey.get("message").asText().contains("mallory"), rejectedKey.toString());
                assertEquals("rejected", rejectedTamper.get("state").asText());
                assertTrue(rejectedTamper.get("message").asText().contains("does not verify"), rejectedTamper.toString());
                assertEquals("door-v2", rejectedTamper.get("model").get("name").asText(), "the running model is reported");

                int total = written;
                assertTrue(sub.await(ms -> Subscriber.count(ms, root + "classification", null) >= total, 15_000),
                        "all " + total + " images classified; log " + log);
                daemon.stopAndWait(15_000);
                t.join(15_000);
                assertEquals(0, code[0], "log " + log);

                List<Long> seqs = new ArrayList<>();
                TreeSet<String> frames = new TreeSet<>();
                List<String> models = new ArrayList<>();
                for (Subscriber.Msg m : sub.on(root + "classification")) {
                    JsonNode j = om.readTree(m.payload());
                    seqs.add(j.get("seq").asLong());
                    frames.add(j.get("frame").asText());
                    String name = j.get("model").get("name").asText();
                    if (models.isEmpty() || !models.get(models.size() - 1).equals(name)) models.add(name);
                }
                assertEquals(total, seqs.size(), "one message per image");
                assertEquals(total, frames.size(), "no image lost or repeated");
                for (int i = 1; i < seqs.size(); i++) assertEquals(seqs.get(i - 1) + 1, seqs.get(i), "no seq gap: " + seqs);
                assertEquals(List.of("door-v1", "door-v2"), models, "one swap, never back");
                assertEquals(sha(v2), Files.readString(tmp.resolve("models/current")).trim());
            }
        }
    }

    /** SHA-256 of a model file as the runtime computes it. */
    static String sha(Path p) throws Exception {
        return dev.edgeq.runtime.Model.load(p).sha256();
    }
}
