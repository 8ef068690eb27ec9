package dev.edgeq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuantizeProgressBarTest {
    @Test
    void eachStageGetsItsOwnBarWithAnEta() throws Exception {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        try (QuantizeProgressBar bar = new QuantizeProgressBar(new PrintStream(frames, true, StandardCharsets.UTF_8))) {
            bar.start("calibration pass 1/2", 4);
            for (int i = 0; i < 4; i++) {
                bar.step();
            }
            assertEquals(4, bar.current());
            bar.start("bias correction", 10);
            assertEquals(0, bar.current(), "a new stage starts from zero");
            bar.step();
            assertEquals(1, bar.current());
        }
        String out = frames.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("calibration pass 1/2") && out.contains("bias correction"), out);
        assertTrue(out.contains("4/4"), "the finished stage is drawn complete: " + out);
    }

    @Test
    void noBarWhenStderrIsNotATerminal() {
        // surefire's stderr is a pipe (EDGEQ_STDERR_TERMINAL unset in the build)
        assertNull(QuantizeProgressBar.onStderr());
    }
}
