package dev.edgeq.imaging;

/**
 * The byte layout of one I420 (YUV 4:2:0 planar) frame as the Raspberry Pi camera stack writes it.
 *
 * <p>The Y plane has {@code height} rows of {@code yStride} bytes, the width rounded up to the ISP's
 * alignment: 64 on Pi 0-4, 128 on Pi 5 (never assume stride = width: 224 wide gives stride 256).
 * U and V follow, each {@code chromaHeight = (height + 1) / 2} rows of {@code chromaStride = yStride / 2}
 * bytes, holding {@code (width + 1) / 2} samples per row. So for odd sizes
 * {@code frameBytes = yStride*height + 2*(yStride/2)*((height+1)/2)}, which is the "stride x H x 3/2" rule
 * rounded up for an odd height.
 */
public record I420Layout(int width, int height, int yStride) {

    public I420Layout {
        if (width < 1 || height < 1) throw new IllegalArgumentException("frame size must be positive: " + width + "x" + height);
        if (yStride < width) throw new IllegalArgumentException("Y stride " + yStride + " < width " + width);
        if (yStride % 2 != 0) throw new IllegalArgumentException("Y stride must be even, got " + yStride);
    }

    /** The layout for a configured width and the ISP's stride alignment (64 or 128). */
    public static I420Layout aligned(int width, int height, int align) {
        return new I420Layout(width, height, alignUp(width, align));
    }

    public static int alignUp(int value, int align) {
        return (value + align - 1) / align * align;
    }

    public int chromaStride() { return yStride / 2; }
    public int chromaWidth() { return (width + 1) / 2; }
    public int chromaHeight() { return (height + 1) / 2; }
    public int uOffset() { return yStride * height; }
    public int vOffset() { return uOffset() + chromaStride() * chromaHeight(); }
    public int frameBytes() { return vOffset() + chromaStride() * chromaHeight(); }

    /**
     * The stride alignment of this board: 128 on a Raspberry Pi 5, 64 elsewhere (Pi 0-4, and any other
     * machine, where only stand-in cameras run).
     */
    public static int boardStrideAlign() {
        try {
            String model = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/device-tree/model")),
                    java.nio.charset.StandardCharsets.US_ASCII);
            return model.contains("Raspberry Pi 5") ? 128 : 64;
        } catch (java.io.IOException | RuntimeException e) {
            return 64;
        }
    }
}
