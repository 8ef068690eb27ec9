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
    private final ClassifiedFiles classified;
    private final Consumer<String> log;
    /** Images read but not yet reported {@link #classified}: file name -> stamp when read. */
    private final Map<String, String> reading = new HashMap<>();
    private boolean initialScanDone;
    private volatile boolean closed;

    public DirectorySource(Path dir, boolean once, long pollMillis, Consumer<String> log) throws IOException {
        this(dir, once, pollMillis, null, log);
    }

    /**
     * @param classified what earlier runs classified: those images are not read again (null: read every
     *                   image in the folder, as {@code --once} does)
     */
    public DirectorySource(Path dir, boolean once, long pollMillis, ClassifiedFiles classified, Consumer<String> log) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("source dir:" + dir + ": not a directory");
        this.dir = dir;
        this.once = once;
        this.pollMillis = pollMillis;
        this.classified = classified;
        this.log = log;
        this.skipped = new SkippedImages(log);
    }

    @Override
    public boolean next(Frame into) throws IOException, InterruptedException {
        while (!closed) {
            if (!initialScanDone) {
                initialScan();
                initialScanDone = true;
            }
            Path p = ready.poll();
            if (p != null) {
                try {
                    if (classified != null) {
                        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                        synchronized (reading) {
                            reading.put(p.getFileName().toString(), ClassifiedFiles.stamp(a.size(), a.lastModifiedTime().toMillis()));
                        }
                    }
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

    private void initialScan() throws IOException {
        List<Path> all = list();
        int before = 0;
        Set<String> names = new HashSet<>();
        for (Path p : all) {
            seen.add(p);
            String name = p.getFileName().toString();
            names.add(name);
            if (classified != null && classifiedBefore(p, name)) {
                before++;
            } else {
                ready.add(p);
            }
        }
        if (classified != null) {
            classified.retainOnly(names);
            if (before > 0) {
                log.accept("dir:" + dir + ": " + before + " images were classified before this start (" + classified.file()
                        + "), " + ready.size() + " are new");
            }
        }
    }

    private boolean classifiedBefore(Path p, String name) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return classified.contains(name, ClassifiedFiles.stamp(a.size(), a.lastModifiedTime().toMillis()));
        } catch (IOException e) {
            return false;
        }
    }

    /** Records that the image {@code origin} (a file name from this folder) is classified and stored. */
    @Override
    public void classified(String origin) {
        if (classified == null) return;
        String stamp;
        synchronized (reading) {
            stamp = reading.remove(origin);
        }
        if (stamp != null) classified.add(origin, stamp);
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
