package dev.edgeq.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
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
