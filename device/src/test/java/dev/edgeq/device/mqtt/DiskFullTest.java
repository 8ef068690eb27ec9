package dev.edgeq.device.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeq.device.testing.ChildJvm;
import dev.edgeq.device.testing.Mosquitto;
import dev.edgeq.device.testing.Subscriber;
import dev.edgeq.device.testing.TestImages;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full disk degrades like a full outbox: the device keeps classifying, delivers what is stored, drops and
 * counts what it cannot store, and logs that once with the path. The outbox lives on a real 64 KB tmpfs,
 * mounted for the child JVM in its own user and mount namespace ({@code unshare -rm}, no root needed).
 */
class DiskFullTest {
    @TempDir Path tmp;
    private static final ObjectMapper OM = new ObjectMapper();

    @BeforeAll
    static void namespacesAvailable() throws Exception {
        boolean ok;
        try {
            Process p = new ProcessBuilder("unshare", "-rm", "sh", "-c", "d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs $d && umount $d && rmdir $d")
                    .redirectErrorStream(true).start();
            ok = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            ok = false;
        }
        Assumptions.assumeTrue(ok, "needs unshare -rm and tmpfs mounts in a user namespace (util-linux)");
    }

    /** The child JVM with a 64 KB tmpfs mounted on {@code small}; {@code setup} runs first (sh, after the mount). */
    private static List<String> onSmallDisk(Path small, String setup) {
        return List.of("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs \"$0\" && " + setup + " exec \"$@\"", small.toString());
    }

    @Test
    void fullDiskDropsAndCountsNewMessagesButKeepsClassifyingAndDeliversWhatIsStored() throws Exception {
        int n = 60;
        Path images = TestImages.imageDir(tmp.resolve("images"), n);
        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        Path small = Files.createDirectories(tmp.resolve("small"));
        Path outbox = small.resolve("outbox");
        int port = Mosquitto.freePort(); // nothing listens yet: every message waits in the outbox
        try (ChildJvm dev = ChildJvm.startWrapped(onSmallDisk(small, ""), tmp.resolve("dev.log"), Map.of(), List.of("-Xmx64m"),
                "--model", model.toString(), "--source", "dir:" + images, "--once", "--broker", "tcp://127.0.0.1:" + port,
                "--device-id", "df", "--outbox-dir", outbox.toString(), "--outbox-fsync", "never", "--stats-interval", "0")) {
            long end = System.currentTimeMillis() + 90_000;
            while (!dev.output().contains("cannot store message") && System.currentTimeMillis() < end) Thread.sleep(100);
            Thread.sleep(500);
            assertTrue(dev.process().isAlive(), "still running with a full disk: " + dev.output());
            try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"), port, List.of("allow_anonymous true"), List.of());
                 Subscriber sub = new Subscriber(broker.url(), "df-sub", "edgeq/df/#", true)) {
                assertEquals(0, dev.waitFor(120_000), dev.output());
                assertTrue(sub.await(ms -> Subscriber.count(ms, "edgeq/df/stats", null) >= 1, 10_000), "final stats: " + sub.messages());
                String log = dev.output();
                List<String> full = log.lines().filter(l -> l.contains("cannot store message")).toList();
                assertEquals(1, full.size(), "logged once: " + log);
                assertTrue(full.get(0).contains(outbox.toString()) && full.get(0).contains("No space left on device"), full.get(0));
                long delivered = Subscriber.count(sub.messages(), "edgeq/df/classification", null);
                JsonNode stats = OM.readTree(sub.on("edgeq/df/stats").get(0).payload());
                assertEquals(n, stats.get("frames").asLong(), "every image classified: " + stats);
                assertTrue(delivered > 0 && delivered < n, delivered + " delivered of " + n);
                assertEquals(n - delivered, stats.get("outbox_dropped").asLong(), "what could not be stored is counted: " + stats);
            }
        }
    }

    @Test
    void startsOnAFullDiskAndDeliversTheStoredMessages() throws Exception {
        Path prepared = tmp.resolve("prepared");
        Outbox before = new Outbox(prepared, 100, false, s -> { });
        for (int i = 0; i < 3; i++) {
            before.append(before.nextSeq(), "edgeq/df2/classification", 1, false, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        Path one = TestImages.imageDir(tmp.resolve("one"), 1);
        Path small = Files.createDirectories(tmp.resolve("small"));
        Path outbox = small.resolve("outbox");
        String fill = "cp -r '" + prepared + "' \"$0/outbox\" && (head -c 1000000 /dev/zero > \"$0/fill\" || true) &&";
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
             Subscriber sub = new Subscriber(broker.url(), "df2-sub", "edgeq/df2/#", true);
             ChildJvm dev = ChildJvm.startWrapped(onSmallDisk(small, fill), tmp.resolve("dev.log"), Map.of(), List.of("-Xmx64m"),
                     "--model", model.toString(), "--source", "dir:" + one, "--once", "--broker", broker.url(),
                     "--device-id", "df2", "--outbox-dir", outbox.toString(), "--stats-interval", "0")) {
            assertEquals(0, dev.waitFor(120_000), dev.output());
            assertTrue(sub.await(ms -> Subscriber.count(ms, "edgeq/df2/classification", null) >= 3, 10_000), sub.messages() + dev.output());
            List<String> n = new ArrayList<>();
            for (Subscriber.Msg m : sub.on("edgeq/df2/classification")) {
                if (m.payload().startsWith("{\"n\"")) n.add(m.payload());
            }
            assertEquals(3, n.size(), "the three stored messages: " + sub.messages());
            assertTrue(dev.output().contains("cannot write " + outbox.resolve("next-seq")), dev.output());
        }
    }
}
