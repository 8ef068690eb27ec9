package dev.edgeq.cli;

import dev.edgeq.converter.dataset.LabeledImages;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;

/** Progress bars on stderr, only when it is a terminal, so carriage-return frames never end up in log files. */
final class Stderr {
    private Stderr() {}

    /** A progress bar on stderr for {@code max} steps, or null when stderr is not a terminal. */
    static ProgressBar progressBar(String task, long max) {
        if (!isTerminal()) return null;
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(250).build();
    }

    /**
     * {@code images} with a progress bar that steps as they are read (calibration reads them in one or more
     * passes; a pass starts over at image 0). {@code bar} may be null: then nothing is shown.
     */
    static LabeledImages withProgress(LabeledImages images, ProgressBar bar) {
        if (bar == null) return images;
        return new LabeledImages() {
            private int pass = 1;
            private long read;

            @Override public int size() { return images.size(); }
            @Override public int height() { return images.height(); }
            @Override public int width() { return images.width(); }
            @Override public int channels() { return images.channels(); }
            @Override public List<String> classNames() { return images.classNames(); }
            @Override public int label(int index) { return images.label(index); }
            @Override public String description() { return images.description(); }

            @Override
            public void pixels(int index, byte[] dst, int offset) {
                images.pixels(index, dst, offset);
                if (index == 0 && read > 0) {
                    pass++;
                    read = 0;
                    bar.setExtraMessage("pass " + pass);
                }
                bar.stepTo(++read);
            }
        };
    }

    /**
     * tools/edgeq knows (its own stderr becomes a pipe through the warning filter) and says so in
     * {@code EDGEQ_STDERR_TERMINAL}; otherwise Linux tells through {@code /proc/self/fd/2}. Java itself has no
     * isatty for stderr ({@code System.console()} looks at stdin and stdout).
     */
    static boolean isTerminal() {
        String told = System.getenv("EDGEQ_STDERR_TERMINAL");
        if ("1".equals(told)) return true;
        if ("0".equals(told)) return false;
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
