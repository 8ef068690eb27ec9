package dev.edgeq.cli;

import dev.edgeq.converter.quantize.Progress;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Quantization's {@link Progress} as one progress bar with an ETA per stage (each calibration pass
 * per image, bias correction per layer), drawn on stderr only when it is a terminal
 * ({@link Stderr#isTerminal()}); otherwise {@link Progress#NONE}.
 */
final class QuantizeProgressBar implements Progress, AutoCloseable {
    private final PrintStream out;
    private ProgressBar bar;

    QuantizeProgressBar(PrintStream out) {
        this.out = out;
    }

    /** A bar on stderr when it is a terminal, else nothing; close it when quantization ends. */
    static QuantizeProgressBar onStderr() {
        return Stderr.isTerminal() ? new QuantizeProgressBar(System.err) : null;
    }

    @Override
    public synchronized void start(String stage, long steps) {
        close();
        bar = new ProgressBarBuilder().setTaskName(stage).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(out)).setUpdateIntervalMillis(250).showSpeed().build();
    }

    @Override
    public synchronized void step() {
        if (bar != null) {
            bar.step();
        }
    }

    /** Steps of the current stage so far (0 before the first stage). */
    synchronized long current() {
        return bar == null ? 0 : bar.getCurrent();
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
