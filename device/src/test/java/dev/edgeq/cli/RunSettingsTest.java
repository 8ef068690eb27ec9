package dev.edgeq.cli;

import dev.edgeq.device.testing.CliRun;
import dev.edgeq.device.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code edgeq run} refuses, at start and with one clear line, settings that could never work. */
class RunSettingsTest {
    @TempDir Path tmp;

    private CliRun.Result run(String... extra) throws Exception {
        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        Path images = TestImages.imageDir(tmp.resolve("images"), 1);
        List<String> all = new ArrayList<>(List.of("run", "--model", model.toString(), "--once",
                "--outbox-dir", tmp.resolve("outbox").toString()));
        if (!List.of(extra).contains("--source")) all.addAll(List.of("--source", "dir:" + images));
        all.addAll(List.of(extra));
        return CliRun.edgeq(all.toArray(new String[0]));
    }

    private void rejected(String expected, String... extra) throws Exception {
        run(extra).assertUsageError(expected);
    }

    @Test
    void wildcardsAndPathCharactersInIdentifiersAreRejected() throws Exception {
        rejected("device-id '+': character '+' is not allowed", "--device-id", "+");
        rejected("device-id 'a/#': character '/' is not allowed", "--device-id", "a/#");
        rejected("device-id '../x': must not start with '.'", "--device-id", "../x");
        rejected("topic-root 'home/+/': character '+' is an MQTT wildcard", "--topic-root", "home/+/");
        rejected("topic-root 'a/#': character '#' is an MQTT wildcard", "--topic-root", "a/#");
        assertFalse(Files.exists(tmp.resolve("outbox")), "nothing created for a refused start");
    }

    @Test
    void settingsThatCanNeverWorkAreRejectedAtStart() throws Exception {
        rejected("broker 'tcp://127.0.0.1:99999': port 99999 is out of range (1-65535)", "--broker", "tcp://127.0.0.1:99999");
        rejected("broker 'tcp://127.0.0.1:x': port 'x' is not a number", "--broker", "tcp://127.0.0.1:x");
        rejected("ca: TLS files need an ssl:// broker, but the broker is 'tcp://127.0.0.1:1'", "--broker", "tcp://127.0.0.1:1", "--ca", "ca.pem");
        rejected("max-fps: expected a number >= 0, got -1.0", "--max-fps", "-1");
        rejected("score-delta: expected a number >= 0, got -0.5", "--score-delta", "-0.5");
        rejected("heartbeat: expected a number >= 0, got -60.0", "--heartbeat", "-60");
        rejected("stats-interval: expected a number >= 0, got -1.0", "--stats-interval", "-1");
        rejected("unknown source 'bogus:x': expected rpicam", "--source", "bogus:x");
    }

    @Test
    void configFileMistakesAreNamedWithTheirLine() throws Exception {
        Path dup = Files.writeString(tmp.resolve("dup.yaml"), "qos: 1\ntop-k: 2\nqos: 0\n");
        rejected("duplicate setting 'qos' (line 3)", "--config", dup.toString());
        CliRun.Result r = run("--config", dup.toString());
        assertTrue(r.err().contains("line 3"), r.toString());
        Path word = Files.writeString(tmp.resolve("word.yaml"), "top-k: 2\nqos: one\n");
        rejected(word + ": qos: expected a whole number, got 'one' (line 2)", "--config", word.toString());
        Path nested = Files.writeString(tmp.resolve("nested.yaml"), "camera:\n  width: wide\n");
        rejected("camera.width: expected a whole number, got 'wide'", "--config", nested.toString());
    }

    @Test
    void missingImagesAndFoldersAreUsageErrors() throws Exception {
        rejected("source file: /nonexistent.png: no such file", "--source", "file:/nonexistent.png");
        rejected("source dir:/nonexistent: no such folder", "--source", "dir:/nonexistent");
        rejected("is a folder, expected an image file (use dir:PATH for folders)", "--source", "file:" + tmp);
    }
}
