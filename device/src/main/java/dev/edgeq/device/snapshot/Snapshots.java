package dev.edgeq.device.snapshot;

import dev.edgeq.device.files.AtomicFile;
import dev.edgeq.device.region.Region;
import dev.edgeq.imaging.Frame;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Consumer;

/**
 * JPEG snapshots of a region when its state changes, or on request ({@code set/snapshot}): published
 * retained on {@code snapshot/NAME} (center region: {@code snapshot}), with {@code snapshot-full-frame} the
 * whole frame too on {@code snapshot-frame/NAME}, and/or written to a folder that keeps
 * the newest {@code keep} files. Runs on the loop thread while the frame is valid; it allocates, but only
 * on a state change or a request.
 */
public final class Snapshots {

    /** Where snapshots go and how large they may be. */
    public record Settings(boolean mqtt, Path dir, int keep, double quality, int maxBytes, boolean fullFrame) {
        public Settings {
            if (keep < 1) throw new IllegalArgumentException("snapshot-keep: expected >= 1, got " + keep);
        }

        /** mode: mqtt | dir | both | off. */
        public static Settings of(String mode, Path dir, int keep, double quality, int maxBytes, boolean fullFrame) {
            return switch (mode) {
                case "mqtt" -> new Settings(true, null, keep, quality, maxBytes, fullFrame);
                case "dir" -> new Settings(false, dir, keep, quality, maxBytes, fullFrame);
                case "both" -> new Settings(true, dir, keep, quality, maxBytes, fullFrame);
                case "off" -> null;
                default -> throw new IllegalArgumentException("snapshot: expected mqtt, dir, both or off, got '" + mode + "'");
            };
        }
    }

    /** Publishes a retained message (QoS 1). */
    public interface Publisher {
        void publishRetained(String topic, byte[] payload);
    }

    private final Settings settings;
    private final List<Region> regions;
    private final String[] topics;
    private final String[] frameTopics;
    private final Publisher publisher;
    private final IntFunction<int[]> cropRect;
    private final Consumer<String> log;
    private final JpegEncoder jpeg;
    private final byte[][] last;
    private final byte[][] lastFrame;
    private volatile boolean anyRequested;
    private final boolean[] requested;

    public Snapshots(Settings settings, List<Region> regions, String topicRoot, Publisher publisher, IntFunction<int[]> cropRect,
                     Consumer<String> log) {
        this.settings = settings;
        this.regions = regions;
        this.publisher = publisher;
        this.cropRect = cropRect;
        this.log = log;
        this.jpeg = new JpegEncoder(settings.quality(), settings.maxBytes());
        this.topics = new String[regions.size()];
        this.last = new byte[regions.size()][];
        this.lastFrame = new byte[regions.size()][];
        this.frameTopics = new String[regions.size()];
        this.requested = new boolean[regions.size()];
        for (int i = 0; i < topics.length; i++) {
            topics[i] = topicRoot + "snapshot" + regions.get(i).topicSuffix();
            frameTopics[i] = topicRoot + "snapshot-frame" + regions.get(i).topicSuffix();
        }
    }

    /** A snapshot of the region on this frame (state changed: {@code label} is the new state). */
    public void take(int region, Frame frame, String label) {
        int[] rect = cropRect.apply(region);
        if (rect[2] < 1 || rect[3] < 1) return; // region not planned yet: no frame seen
        save(region, label, rect, frame, topics, last, "");
        if (settings.fullFrame()) save(region, label, new int[] {0, 0, frame.width, frame.height}, frame, frameTopics, lastFrame, "_frame");
    }

    private void save(int region, String label, int[] rect, Frame frame, String[] topicOf, byte[][] lastOf, String fileSuffix) {
        byte[] bytes;
        try {
            bytes = jpeg.encode(FrameImages.crop(frame, rect));
        } catch (IOException | RuntimeException e) {
            log.accept("snapshot of " + name(region) + " failed: " + e.getMessage());
            return;
        }
        if (settings.mqtt()) {
            synchronized (last) {
                lastOf[region] = bytes;
            }
            publisher.publishRetained(topicOf[region], bytes);
        }
        if (settings.dir() != null) write(region, label + fileSuffix, bytes);
    }

    /** From any thread: snapshot the named region (null or "all": every region) at the next frame. */
    public boolean request(String regionName) {
        boolean found = false;
        for (int i = 0; i < regions.size(); i++) {
            if (regionName == null || regionName.equals("all") || regionName.equals(name(i))) {
                synchronized (requested) {
                    requested[i] = true;
                }
                found = true;
            }
        }
        if (found) anyRequested = true;
        return found;
    }

    /** Loop thread, after each frame: serves requests (one volatile read when there are none). */
    public void frameDone(Frame frame) {
        if (!anyRequested) return;
        anyRequested = false;
        for (int i = 0; i < requested.length; i++) {
            boolean take;
            synchronized (requested) {
                take = requested[i];
                requested[i] = false;
            }
            if (take) take(i, frame, "requested");
        }
    }

    /** Publishes the last snapshots again (on reconnect: those taken while offline). */
    public void republish() {
        synchronized (last) {
            for (int i = 0; i < last.length; i++) {
                if (last[i] != null) publisher.publishRetained(topics[i], last[i]);
                if (lastFrame[i] != null) publisher.publishRetained(frameTopics[i], lastFrame[i]);
            }
        }
    }

    private String name(int region) {
        String n = regions.get(region).name();
        return n == null ? "center" : n;
    }

    private void write(int region, String label, byte[] bytes) {
        Path dir = settings.dir();
        String safeLabel = label.replaceAll("[^A-Za-z0-9_-]", "_");
        // time first: names sort by age
        Path file = dir.resolve(Instant.now().toString().replace(':', '-') + "_" + name(region) + "_" + safeLabel + ".jpg");
        try {
            Files.createDirectories(dir);
            AtomicFile.write(file, bytes, AtomicFile.Durability.NONE);
            try (var files = Files.list(dir)) {
                List<Path> jpgs = files.filter(p -> p.getFileName().toString().endsWith(".jpg"))
                        .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
                for (int i = 0; i < jpgs.size() - settings.keep(); i++) Files.deleteIfExists(jpgs.get(i));
            }
        } catch (IOException e) {
            log.accept("snapshot folder " + dir + ": " + e.getMessage());
        }
    }
}
