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
    void calibrationProgressFollowsEveryPassOverTheImages() throws Exception {
        dev.edgeq.converter.dataset.LabeledImages images = dev.edgeq.converter.dataset.DatasetSpec.open("fashion-mnist:test:50", 28, 28, 1);
        java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
        try (me.tongfei.progressbar.ProgressBar bar = new me.tongfei.progressbar.ProgressBarBuilder().setTaskName("calibrate")
                .setInitialMax(images.size()).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(new java.io.PrintStream(frames)))
                .build()) {
            dev.edgeq.converter.dataset.LabeledImages shown = Stderr.withProgress(images, bar);
            byte[] px = new byte[28 * 28];
            byte[] direct = new byte[28 * 28];
            for (int i = 0; i < 50; i++) shown.pixels(i, px, 0);
            assertEquals(50, bar.getCurrent());
            for (int i = 0; i < 20; i++) shown.pixels(i, px, 0);
            assertEquals(20, bar.getCurrent(), "a second pass starts over");
            assertEquals("pass 2", bar.getExtraMessage());
            images.pixels(19, direct, 0);
            org.junit.jupiter.api.Assertions.assertArrayEquals(direct, px, "the pixels pass through unchanged");
        }
        assertEquals(null, Stderr.progressBar("calibrate", 50), "no bar when stderr is not a terminal");
    }
}
