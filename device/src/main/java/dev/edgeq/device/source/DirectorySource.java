package dev.edgeq.device.source;

import dev.edgeq.imaging.Frame;
import dev.edgeq.imaging.ImageDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code dir:PATH}: the PNG/JPEG files in a folder (sorted by name), then, unless {@code once}, new files
 * as they arrive. New files are found by polling (every {@code pollMillis}), and a file is read only after
 * its size and modification time stayed the same for one poll, so a file still being copied in is not read
 * half-written. (Polling rather than WatchService: it behaves the same on network mounts and SD cards, and
 * the stability check is needed either way.) Damaged files are skipped, logged once, and counted.
 */
public final class DirectorySource implements FrameSource {
    private final Path dir;
    private final boolean once;
    private final long pollMillis;
    private final SkippedImages skipped;
    private final Set<Path> seen = new HashSet<>();
    private final Map<Path, String> pending = new HashMap<>();
    private final ArrayDeque<Path> ready = new ArrayDeque<>();
    private boolean initialScanDone;
    private volatile boolean closed;

    public DirectorySource(Path dir, boolean once, long pollMillis, Consumer<String> log) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("source dir:" + dir + ": not a directory");
        this.dir = dir;
        this.once = once;
        this.pollMillis = pollMillis;
        this.skipped = new SkippedImages(log);
    }

    @Override
    public boolean next(Frame into) throws IOException, InterruptedException {
        while (!closed) {
            if (!initialScanDone) {
                for (Path p : list()) {
                    seen.add(p);
                    ready.add(p);
                }
                initialScanDone = true;
            }
            Path p = ready.poll();
            if (p != null) {
                try {
                    ImageDecoder.decode(p, into);
                    into.captureNanos = System.nanoTime();
                    return true;
                } catch (IOException e) {
                    skipped.skip(p.toString(), e.getMessage());
                    continue;
                }
            }
            if (once) return false;
            Thread.sleep(pollMillis);
            poll();
        }
        return false;
    }

    private void poll() throws IOException {
        for (Path p : list()) {
            if (seen.contains(p)) continue;
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class);
            } catch (IOException e) {
                continue; // vanished between list and stat
            }
            String stamp = a.size() + "/" + a.lastModifiedTime().toMillis();
            if (stamp.equals(pending.get(p))) {
                pending.remove(p);
                seen.add(p);
                ready.add(p);
            } else {
                pending.put(p, stamp);
            }
        }
    }

    private List<Path> list() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> Files.isRegularFile(p) && ImageDecoder.isImageName(p)).sorted().forEach(out::add);
        }
        return out;
    }

    @Override public boolean isLive() { return false; }
    @Override public long skipped() { return skipped.count(); }
    @Override public String describe() { return "dir:" + dir; }
    @Override public void close() { closed = true; }
}
