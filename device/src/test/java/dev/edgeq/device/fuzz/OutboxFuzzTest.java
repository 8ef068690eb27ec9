package dev.edgeq.device.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.edgeq.device.mqtt.Outbox;
import dev.edgeq.runtime.testing.FuzzSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target: what a crash, a full disk or a damaged SD card leaves in the outbox folder is read back
 * when the device restarts. Input: one byte n, then n bytes of the {@code next-seq} file, then the bytes
 * of one entry file. The property: opening the outbox and draining it throws nothing, and every entry
 * it hands out is one Paho will publish (the same calls as {@code MqttPublisher.drain}); an entry that
 * is not is dropped and counted, not handed out.
 *
 * <p>Seeds: {@code src/test/resources/dev/edgeq/device/fuzz/OutboxFuzzTestInputs} (provenance in its README).
 */
class OutboxFuzzTest {
    private static final Path DIR = tempDir();

    @BeforeAll
    static void loadClassesOnce() {
        FuzzSupport.warmUp(OutboxFuzzTest.class, "readBackAfterCrash", OutboxFuzzTest::fuzzerTestOneInput);
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    void readBackAfterCrash(byte[] bytes) {
        fuzzerTestOneInput(bytes);
    }

    /** The target (also the entry point of Jazzer's command line, used by {@code tools/fuzz}). */
    public static void fuzzerTestOneInput(byte[] bytes) {
        try {
            clear();
            int start = Math.min(1, bytes.length);
            int n = bytes.length == 0 ? 0 : Math.min(bytes[0] & 0xFF, bytes.length - 1);
            Files.write(DIR.resolve("next-seq"), Arrays.copyOfRange(bytes, start, start + n));
            Files.write(DIR.resolve(String.format("%020d.msg", 7)), Arrays.copyOfRange(bytes, start + n, bytes.length));
            Outbox outbox = new Outbox(DIR, 100, false, message -> { });
            for (Outbox.Entry e = outbox.takeNext(); e != null; e = outbox.takeNext()) {
                MqttMessage m = new MqttMessage(e.payload());
                m.setQos(e.qos());
                m.setRetained(e.retained());
                MqttTopic.validate(e.topic(), false);
                outbox.acknowledged(e.seq());
            }
            long first = outbox.nextSeq();
            long second = outbox.nextSeq();
            if (first <= 7 || second <= first) {
                throw new AssertionError("sequence numbers repeat after a restart: " + first + ", " + second);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading back a damaged outbox must not fail the device's start", e);
        }
    }

    private static void clear() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
    }

    private static Path tempDir() {
        try {
            Path d = Files.createTempDirectory("edgeq-outbox-fuzz");
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
