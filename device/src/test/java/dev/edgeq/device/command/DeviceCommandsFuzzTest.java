package dev.edgeq.device.command;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.edgeq.device.loop.PublishPolicy;
import dev.edgeq.device.loop.RuntimeFrameClassifier;
import dev.edgeq.device.region.Region;
import dev.edgeq.device.region.RegionRunner;
import dev.edgeq.device.snapshot.Snapshots;
import dev.edgeq.device.testing.BrightnessModel;
import dev.edgeq.runtime.testing.FuzzSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target: a message on a {@code ROOT/set/...} topic, handled by {@link DeviceCommands} with a real
 * region runner and snapshots. The property: every topic under the prefix is handled (true), none other;
 * no exception; each log message is one line of at most {@link #MAX_LOG} characters (a payload or topic
 * must not forge log lines or flood the journal); a reload is requested only by {@code set/model-reload}.
 *
 * <p>Input layout: one byte n, n bytes of the topic after {@code ROOT/set/} (UTF-8), then the payload.
 * Seeds: {@code src/test/resources/dev/edgeq/device/command/DeviceCommandsFuzzTestInputs} (provenance in
 * its README).
 */
class DeviceCommandsFuzzTest {
    private static final String ROOT = "edgeq/fuzz/";
    static final int MAX_LOG = 400;
    private static final AtomicInteger RELOADS = new AtomicInteger();
    private static DeviceCommands commands;

    @BeforeAll
    static void setUp() throws Exception {
        fuzzerInitialize();
    }

    /** Set-up, also called by Jazzer's command line ({@code tools/fuzz}) before the first input. */
    public static void fuzzerInitialize() throws Exception {
        Path dir = Files.createTempDirectory("edgeq-fuzz-commands");
        dir.toFile().deleteOnExit();
        RuntimeFrameClassifier classifier = RuntimeFrameClassifier.open(BrightnessModel.write(dir.resolve("b.eqm")), 2);
        List<Region> regions = List.of(Region.parse("left:0,0,0.5,1"), Region.parse("right:32,0,32,32"));
        RegionRunner runner = new RegionRunner(regions, classifier, () -> new PublishPolicy(false, 0.15, 0),
                new RegionRunner.Settings(0.8, 3, 0, false, 6));
        Snapshots snapshots = new Snapshots(new Snapshots.Settings(true, null, 1, 0.8, 100_000, false), regions, ROOT,
                (topic, payload) -> { }, runner::cropRect, DeviceCommandsFuzzTest::log);
        commands = new DeviceCommands(ROOT, runner, snapshots, RELOADS::incrementAndGet, DeviceCommandsFuzzTest::log);
        FuzzSupport.warmUp(DeviceCommandsFuzzTest.class, "handleCommand", DeviceCommandsFuzzTest::fuzzerTestOneInput);
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    void handleCommand(byte[] bytes) {
        fuzzerTestOneInput(bytes);
    }

    /** The target (also the entry point of Jazzer's command line, used by {@code tools/fuzz}). */
    public static void fuzzerTestOneInput(byte[] bytes) {
        if (bytes.length == 0) return;
        int n = Math.min(bytes[0] & 0xff, bytes.length - 1);
        String command = new String(bytes, 1, n, StandardCharsets.UTF_8);
        byte[] payload = Arrays.copyOfRange(bytes, 1 + n, bytes.length);
        int reloads = RELOADS.get();
        if (!commands.handle(ROOT + "set/" + command, payload)) throw new IllegalStateException("command topic not handled: " + command);
        if (commands.handle(ROOT + "sett/" + command, payload)) throw new IllegalStateException("a topic outside set/ was handled");
        if (RELOADS.get() != reloads && !command.equals("model-reload")) throw new IllegalStateException("reload from set/" + command);
    }

    private static void log(String line) {
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0 || line.length() > MAX_LOG) {
            throw new IllegalStateException("log message not one short line (" + line.length() + " chars): "
                    + line.substring(0, Math.min(200, line.length())));
        }
    }
}
