package dev.edgeq.device.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.edgeq.device.config.DeviceConfig;
import dev.edgeq.runtime.testing.FuzzSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target: a device.yaml is loaded and validated, and the settings the daemon derives from it are
 * computed. The property: the only errors are the config errors (an IOException from {@link
 * DeviceConfig#load} naming the file and line, an IllegalArgumentException from {@link
 * DeviceConfig#validate} naming the setting); no other exception, no OutOfMemoryError in the fuzz
 * executions' small heap, no input taking over a second.
 *
 * <p>Seeds: {@code src/test/resources/dev/edgeq/device/fuzz/DeviceConfigFuzzTestInputs} (provenance in its
 * README).
 */
class DeviceConfigFuzzTest {
    private static final Path FILE = FuzzSupport.scratchFile(".yaml");

    @BeforeAll
    static void loadClassesOnce() {
        FuzzSupport.warmUp(DeviceConfigFuzzTest.class, "loadAndValidate", DeviceConfigFuzzTest::fuzzerTestOneInput);
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    void loadAndValidate(byte[] bytes) {
        fuzzerTestOneInput(bytes);
    }

    /** The target (also the entry point of Jazzer's command line, used by {@code tools/fuzz}). */
    public static void fuzzerTestOneInput(byte[] bytes) {
        DeviceConfig config;
        try {
            Files.write(FILE, bytes);
            config = DeviceConfig.load(FILE);
        } catch (IOException refused) {
            return;
        }
        try {
            config.validate();
        } catch (IllegalArgumentException refused) {
            return;
        }
        config.effectiveTopicRoot();
        config.publishesEveryFrame();
        config.usesEmbeddedBroker();
        config.resolvePassword();
    }
}
