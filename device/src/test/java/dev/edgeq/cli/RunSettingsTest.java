package dev.edgeq.cli;

import dev.edgeq.device.testing.CliRun;
import dev.edgeq.device.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code edgeq run} refuses, at start and with one clear line, settings that could never work. */
class RunSettingsTest {
    @TempDir Path tmp;

    private CliRun.Result run(String... extra) throws Exception {
        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        Path images = TestImages.imageDir(tmp.resolve("images"), 1);
        String[] base = {"run", "--model", model.toString(), "--source", "dir:" + images, "--once",
                "--outbox-dir", tmp.resolve("outbox").toString(), "--broker", "tcp://127.0.0.1:1", "--stats-interval", "0"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return CliRun.edgeq(all);
    }

    private void rejected(String expected, String... extra) throws Exception {
        CliRun.Result r = run(extra);
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r);
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r);
        assertFalse(r.err().contains("Exception"), r.toString());
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
}
