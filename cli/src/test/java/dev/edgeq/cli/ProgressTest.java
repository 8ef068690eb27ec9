package dev.edgeq.cli;

import dev.edgeq.device.testing.CliRun;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Progress bars only on a terminal: a log file or pipe gets no carriage-return frames. */
class ProgressTest {
    @Test
    void evalWritesNoProgressFramesWhenStderrIsNotATerminal() throws Exception {
        Path model = Path.of("..", "models", "fashion-seedcnn.eqm");
        assertTrue(Files.isRegularFile(model), "bundled model");
        assertFalse(Stderr.isTerminal(), "the test's stderr is a pipe or file");
        // 600 images: above the 500 from which eval shows a bar (Debian's dataset-fashion-mnist)
        CliRun.Result r = CliRun.edgeq("eval", model.toString(), "--dataset", "fashion-mnist:test:600");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("top-1"), r.out());
        assertFalse(r.err().contains("\r"), "no progress frames in a log: " + r.err());
    }

    @Test
    void noBarWhenStderrIsNotATerminal() {
        assertEquals(null, Stderr.progressBar("calibrate", 50));
    }
}
