package dev.edgeq.imaging;

/**
 * Full-range BT.601 (JFIF) YCbCr to RGB in Q16 fixed point, as the Pi camera's default YUV420 output
 * ("sYCC", full range) is encoded:
 * R = Y + 1.402 (V-128), G = Y - 0.344136 (U-128) - 0.714136 (V-128), B = Y + 1.772 (U-128), clamped to 0..255.
 */
public final class YuvToRgb {
    static final int RV = 91881;   // round(1.402 * 65536)
    static final int GU = 22554;   // round(0.344136 * 65536)
    static final int GV = 46802;   // round(0.714136 * 65536)
    static final int BU = 116130;  // round(1.772 * 65536)
    private static final int HALF = 1 << 15;

    private YuvToRgb() {}

    public static void convert(int y, int u, int v, int[] rgb) {
        int du = u - 128;
        int dv = v - 128;
        // Arithmetic shift of (x + HALF) rounds half up, also for negative x.
        rgb[0] = clamp(y + ((RV * dv + HALF) >> 16));
        rgb[1] = clamp(y + ((-GU * du - GV * dv + HALF) >> 16));
        rgb[2] = clamp(y + ((BU * du + HALF) >> 16));
    }

    public static int red(int y, int v) { return clamp(y + ((RV * (v - 128) + HALF) >> 16)); }
    public static int green(int y, int u, int v) { return clamp(y + ((-GU * (u - 128) - GV * (v - 128) + HALF) >> 16)); }
    public static int blue(int y, int u) { return clamp(y + ((BU * (u - 128) + HALF) >> 16)); }

    static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
