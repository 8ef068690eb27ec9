package dev.edgeq.device.source;

import dev.edgeq.imaging.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A camera read through a child process that writes fixed-size raw frames to stdout (rpicam-vid, ffmpeg).
 * The process is restarted with exponential backoff (1 s doubling up to a maximum) when it exits, and
 * stopped (SIGTERM, then SIGKILL after 2 s) by {@link #close}. Its stderr is kept (last 20 lines) for the
 * error message when it dies.
 */
public abstract class ProcessFrameSource implements FrameSource {
    private final Consumer<String> log;
    private final long maxBackoffMillis;
    private Process process;
    private InputStream stdout;
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
    private long backoffMillis = 1000;
    private long restarts;
    private boolean firstFrameOfProcess;
    private volatile boolean closed;

    protected ProcessFrameSource(Consumer<String> log, double maxBackoffSeconds) {
        this.log = log;
        this.maxBackoffMillis = Math.max(1000, (long) (maxBackoffSeconds * 1000));
    }

    /** The full command line. */
    protected abstract List<String> command();

    /** Bytes of one frame on the stream. */
    protected abstract int frameBytes();

    /** Sets format and geometry of a frame whose raw bytes were just read into {@code f.data}. */
    protected abstract void describe(Frame f);

    /** Checks the first frame of each process start against the expected layout; throws on a mismatch. */
    protected void verifyFirstFrame(Frame f) throws IOException {}

    @Override
    public boolean next(Frame into) throws IOException, InterruptedException {
        int n = frameBytes();
        byte[] buf = into.ensureCapacity(n);
        while (!closed) {
            if (process == null) start();
            if (process == null) return false;
            int got = readFully(stdout, buf, n);
            if (got == n) {
                backoffMillis = 1000;
                describe(into);
                into.captureNanos = System.nanoTime();
                if (firstFrameOfProcess) {
                    firstFrameOfProcess = false;
                    verifyFirstFrame(into);
                }
                return true;
            }
            if (closed) return false;
            processEnded(got, n);
        }
        return false;
    }

    private void start() throws IOException {
        List<String> cmd = command();
        ProcessBuilder pb = new ProcessBuilder(cmd);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot start camera command '" + cmd.get(0) + "': " + e.getMessage(), e);
        }
        process.getOutputStream().close();
        stdout = process.getInputStream();
        firstFrameOfProcess = true;
        Process p = process;
        Thread t = new Thread(() -> drainStderr(p), "camera-stderr");
        t.setDaemon(true);
        t.start();
    }

    private void drainStderr(Process p) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (stderrTail) {
                    if (stderrTail.size() == 20) stderrTail.removeFirst();
                    stderrTail.addLast(line);
                }
            }
        } catch (IOException ignored) {
            // process gone
        }
    }

    private void processEnded(int got, int n) throws InterruptedException {
        Process p = process;
        process = null;
        int code;
        try {
            code = p.waitFor(2, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
        if (code == -1) p.destroyForcibly();
        String tail;
        synchronized (stderrTail) {
            tail = String.join(" | ", stderrTail);
            stderrTail.clear();
        }
        String partial = got > 0
                ? "; its output ended " + got + " bytes into a " + n + "-byte frame, so the frame layout does not match what it writes ("
                  + layoutDescription() + ")"
                : "";
        log.accept("camera process " + commandName() + " exited (code " + code + ")" + partial
                + (tail.isEmpty() ? "" : "; stderr: " + tail) + "; restarting in " + backoffMillis / 1000.0 + " s");
        restarts++;
        Thread.sleep(backoffMillis);
        backoffMillis = Math.min(maxBackoffMillis, backoffMillis * 2);
    }

    protected String layoutDescription() {
        return frameBytes() + " bytes per frame";
    }

    private String commandName() {
        return command().get(0);
    }

    private static int readFully(InputStream in, byte[] buf, int n) throws IOException {
        int off = 0;
        while (off < n) {
            int r;
            try {
                r = in.read(buf, off, n - off);
            } catch (IOException e) {
                return off; // stream closed under us: treat as the process ending
            }
            if (r < 0) break;
            off += r;
        }
        return off;
    }

    @Override public boolean isLive() { return true; }
    @Override public long restarts() { return restarts; }

    @Override
    public void close() {
        closed = true;
        Process p = process;
        if (p == null) return;
        p.destroy();
        try {
            if (!p.waitFor(2, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
