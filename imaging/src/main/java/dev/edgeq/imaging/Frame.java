package dev.edgeq.imaging;

/**
 * One camera frame or decoded image, in a buffer that sources reuse: a source grows {@link #data} only
 * when a frame is larger than any before, so a steady camera stream allocates nothing per frame.
 * Not thread-safe; on the device, ownership passes between the source thread and the loop through
 * {@code FrameHandoff}.
 */
public final class Frame {
    public PixelFormat format = PixelFormat.GRAY;
    public int width;
    public int height;
    /** Bytes between rows (for I420, of the Y plane; chroma rows are stride/2 apart). */
    public int stride;
    public byte[] data = new byte[0];
    /** System.nanoTime() when the frame was read from the camera / file. */
    public long captureNanos;
    /** Where the frame came from: a file name or the camera spec. Shared string, not built per frame. */
    public String origin = "";

    /** Makes sure {@link #data} holds at least n bytes, keeping the array when it does already. */
    public byte[] ensureCapacity(int n) {
        if (data.length < n) data = new byte[n];
        return data;
    }

    public void setGray(int width, int height, int stride) {
        this.format = PixelFormat.GRAY;
        this.width = width;
        this.height = height;
        this.stride = stride;
    }

    public void setRgb(int width, int height, int stride) {
        this.format = PixelFormat.RGB;
        this.width = width;
        this.height = height;
        this.stride = stride;
    }

    public void setI420(I420Layout layout) {
        this.format = PixelFormat.I420;
        this.width = layout.width();
        this.height = layout.height();
        this.stride = layout.yStride();
    }

    public I420Layout i420Layout() {
        return new I420Layout(width, height, stride);
    }

    /** Copies geometry and pixels of another frame (used by tests and capture, not on the hot path). */
    public void copyFrom(Frame other) {
        format = other.format;
        width = other.width;
        height = other.height;
        stride = other.stride;
        int n = other.byteCount();
        System.arraycopy(other.data, 0, ensureCapacity(n), 0, n);
        captureNanos = other.captureNanos;
        origin = other.origin;
    }

    public int byteCount() {
        return switch (format) {
            case GRAY -> stride * (height - 1) + width;
            case RGB -> stride * (height - 1) + width * 3;
            case I420 -> i420Layout().frameBytes();
        };
    }
}
