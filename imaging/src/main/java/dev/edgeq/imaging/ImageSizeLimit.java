package dev.edgeq.imaging;

import java.nio.file.Path;

/**
 * Refuses images whose decoded pixels would not fit the heap, from the size in their header, before the
 * decoder allocates anything. On a board with {@code -Xmx32m} a 8000x8000 PNG would otherwise end in an
 * OutOfMemoryError deep inside ImageIO, reported as an empty "Caught exception during read".
 */
public final class ImageSizeLimit {
    /**
     * Bytes per pixel at the peak of decoding: ImageIO's raster (up to 4 bytes, ARGB) plus the frame copy
     * (3 bytes, RGB).
     */
    static final int PEAK_BYTES_PER_PIXEL = 7;

    /** Largest image decoded at all, whatever the heap (a 12 MP camera still is 4056x3040). */
    static final long MAX_PIXELS = 1L << 26;

    private ImageSizeLimit() {}

    /** Throws when a {@code width x height} image cannot be decoded in half of this JVM's maximum heap. */
    public static void check(Path file, int width, int height) throws ImageDecoder.BadImageException {
        check(file, width, height, Runtime.getRuntime().maxMemory());
    }

    /** As {@link #check(Path, int, int)} for a heap of {@code maxHeapBytes}. */
    public static void check(Path file, int width, int height, long maxHeapBytes) throws ImageDecoder.BadImageException {
        if (width < 1 || height < 1 || (long) width * height > MAX_PIXELS) {
            throw new ImageDecoder.BadImageException(file + ": " + width + "x" + height
                    + " pixels: outside 1 .. " + MAX_PIXELS + " pixels, the most edgeq decodes");
        }
        long needed = (long) width * height * PEAK_BYTES_PER_PIXEL;
        // Half the heap: the model, the arena, the outbox and the MQTT client live there too.
        if (needed > maxHeapBytes / 2) {
            throw new ImageDecoder.BadImageException(file + ": " + width + "x" + height + " pixels is too large for this JVM's heap (decoding needs about "
                    + mb(needed) + " MB, the heap is " + mb(maxHeapBytes) + " MB): use smaller images or give Java more heap (JAVA_OPTS=-Xmx...)");
        }
    }

    private static long mb(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
