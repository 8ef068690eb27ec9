package dev.edgeq.device.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeq.device.testing.BrightnessModel;
import dev.edgeq.device.testing.ChildJvm;
import dev.edgeq.device.testing.Mosquitto;
import dev.edgeq.device.testing.MqttSend;
import dev.edgeq.device.testing.Subscriber;
import dev.edgeq.device.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device process is SIGKILLed at several moments after an update arrived (before, during and after the
 * store writes and the swap); restarted, it runs a good model: the old or the new one, complete and
 * verified, never a broken one. (ModelStoreTest covers the half-written files such a kill can leave.)
 */
class UpdateCrashTest {
    @TempDir Path tmp;

    @Test
    void killNineDuringAnUpdateThenRestartRunsAGoodModel() throws Exception {
        Path alice = Signing.keygen(tmp.resolve("keys/alice"));
        Path v1 = BrightnessModel.write(tmp.resolve("m/v1.eqm"), "door-v1", 5f);
        ObjectMapper om = new ObjectMapper();
        Path images = Files.createDirectories(tmp.resolve("images"));
        for (int i = 0; i < 3; i++) TestImages.writePng(TestImages.gray(16, 16, i), images.resolve("img-" + i + ".png"));
        String root = "edgeq/k9/";
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"))) {
            String[] args = {"--model", v1.toString(), "--source", "dir:" + images, "--broker", broker.url(), "--device-id", "k9",
                    "--trusted-key", Signing.pub(alice).toString(), "--model-dir", tmp.resolve("models").toString(),
                    "--outbox-dir", tmp.resolve("outbox").toString(), "--stats-interval", "0", "--no-home-assistant"};
            int[] delaysMillis = {0, 30, 2000};
            for (int round = 0; round < delaysMillis.length; round++) {
                Path next = BrightnessModel.write(tmp.resolve("m/v" + (round + 2) + ".eqm"), "door-v" + (round + 2), 4f - round);
                byte[] update = Signing.sign(next, alice, "alice");
                try (Subscriber sub = new Subscriber(broker.url(), "k9-sub-" + round, root + "#", false);
                     ChildJvm device = ChildJvm.start(tmp.resolve("device-" + round + ".log"), args)) {
                    assertTrue(sub.await(ms -> ms.stream().anyMatch(m -> m.topic().equals(root + "model/status") && !m.retained()), 30_000),
                            "device up; output " + device.output());
                    MqttSend.once(broker.url(), root + "model/set", update);
                    Thread.sleep(delaysMillis[round]);
                    device.kill9();
                }
                // restart: it must come up with a model that passes every check, and classify with it. What the
                // store committed before the restart decides which; the restarted device may then receive the
                // update again (QoS 1, unacknowledged when killed) and install it while this round checks.
                Path current = tmp.resolve("models/current");
                String committed = Files.exists(current) ? Files.readString(current).trim() : null;
                try (Subscriber sub = new Subscriber(broker.url(), "k9-after-" + round, root + "#", false);
                     ChildJvm device = ChildJvm.start(tmp.resolve("device-" + round + "-restart.log"), args)) {
                    TestImages.writePng(TestImages.gray(16, 16, 100 + round), images.resolve("after-" + round + ".png"));
                    assertTrue(sub.await(ms -> Subscriber.count(ms, root + "classification", null) >= 1
                            && ms.stream().anyMatch(m -> m.topic().equals(root + "model/status") && !m.retained()), 30_000),
                            "restarted device classifies; output " + device.output());
                    JsonNode status = om.readTree(sub.on(root + "model/status").stream().filter(m -> !m.retained()).findFirst().get().payload());
                    assertEquals("running", status.get("state").asText());
                    String name = status.get("model").get("name").asText();
                    String sha = status.get("model").get("sha256").asText();
                    if (committed != null) {
                        assertEquals(committed, sha, "round " + round + ": runs the store's current model; output " + device.output());
                        assertEquals("alice", status.get("model").get("signer").asText());
                    } else {
                        assertEquals("door-v1", name, "nothing stored yet: the --model file");
                    }
                    if (delaysMillis[round] >= 2000) assertEquals("door-v" + (round + 2), name, "an update with time to finish survives the kill");
                    List<Subscriber.Msg> cls = sub.on(root + "classification");
                    JsonNode last = om.readTree(cls.get(cls.size() - 1).payload());
                    assertEquals(name, last.get("model").get("name").asText(), "classifies with the model it reports");
                    assertTrue(Set.of("dark", "bright").contains(last.get("label").asText()));
                    device.process().destroy(); // SIGTERM: clean stop
                    assertEquals(143, device.waitFor(20_000), "stopped on SIGTERM: " + device.output());
                }
            }
        }
    }
}
