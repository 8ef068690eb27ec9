package dev.edgeq.device.source;

import dev.edgeq.imaging.Frame;
import dev.edgeq.imaging.ImageDecoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** {@code file:A,B,...}: the listed images, each once, in order. Unreadable ones are skipped and counted. */
public final class FileListSource implements FrameSource {
    private final List<Path> files;
    private final SkippedImages skipped;
    private int next;
    private volatile boolean closed;

    public FileListSource(List<Path> files, Consumer<String> log) {
        this.files = List.copyOf(files);
        this.skipped = new SkippedImages(log);
    }

    @Override
    public boolean next(Frame into) {
        while (!closed && next < files.size()) {
            Path p = files.get(next++);
            try {
                ImageDecoder.decode(p, into);
                into.captureNanos = System.nanoTime();
                return true;
            } catch (IOException e) {
                skipped.skip(p.toString(), e.getMessage());
            }
        }
        return false;
    }

    @Override public boolean isLive() { return false; }
    @Override public long skipped() { return skipped.count(); }
    @Override public String describe() { return "file:" + files.size() + " files"; }
    @Override public void close() { closed = true; }
}
