package dev.edgeq.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeq.device.testing.ChildJvm;
import dev.edgeq.device.testing.Mosquitto;
import dev.edgeq.device.testing.Subscriber;
import dev.edgeq.device.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A watched dir: source killed and restarted does not classify its old images again under new seq numbers. */
class DirRestartTest {
    @TempDir Path tmp;

    private static String[] args(Path model, Path images, String broker, Path outbox) {
        return new String[] {"--model", model.toString(), "--source", "dir:" + images, "--broker", broker, "--device-id", "dr",
                "--publish", "every-frame", "--max-fps", "20", "--outbox-dir", outbox.toString(), "--stats-interval", "0",
                "--no-home-assistant"};
    }

    @Test
    void killAndRestartGivesEachImageOneSequenceNumber() throws Exception {
        int n = 60;
        Path images = TestImages.imageDir(tmp.resolve("images"), n);
        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        Path outbox = tmp.resolve("outbox");
        String topic = "edgeq/dr/classification";
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
             Subscriber sub = new Subscriber(broker.url(), "dr-sub", topic, true)) {
            try (ChildJvm first = ChildJvm.start(tmp.resolve("first.log"), args(model, images, broker.url(), outbox))) {
                assertTrue(sub.await(ms -> ms.size() >= 20, 90_000), first.output());
                first.kill9(); // in the middle: about 20 of 60 done
            }
            int beforeRestart = sub.messages().size();
            assertTrue(beforeRestart < n, "killed before the end: " + beforeRestart);
            try (ChildJvm second = ChildJvm.start(tmp.resolve("second.log"), args(model, images, broker.url(), outbox))) {
                assertTrue(sub.await(ms -> frames(ms).size() == n, 90_000), "every image once: " + frames(sub.messages()).size() + "\n" + second.output());
                Thread.sleep(1500); // anything classified twice would arrive now (20 frames/s)
                assertTrue(second.output().contains("images were classified before this start"), second.output());
            }
            Map<String, Set<Long>> seqsByFrame = frames(sub.messages());
            int twice = 0;
            for (Map.Entry<String, Set<Long>> e : seqsByFrame.entrySet()) if (e.getValue().size() > 1) twice++;
            // Only the image between its outbox entry and its record at the moment of kill -9 may repeat.
            assertTrue(twice <= 1, twice + " images got two sequence numbers: " + seqsByFrame);
            assertEquals(n, seqsByFrame.size());
        }
    }

    private static Map<String, Set<Long>> frames(java.util.List<Subscriber.Msg> ms) {
        ObjectMapper om = new ObjectMapper();
        Map<String, Set<Long>> out = new HashMap<>();
        for (Subscriber.Msg m : ms) {
            try {
                JsonNode j = om.readTree(m.payload());
                out.computeIfAbsent(j.get("frame").asText(), k -> new HashSet<>()).add(j.get("seq").asLong());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }
}
