package dev.edgeq.imaging;

/**
 * The one RGB to gray conversion: BT.601 luma {@code 0.299 R + 0.587 G + 0.114 B} with Pillow's 16-bit
 * weights and rounding ({@code convert("L")}, which the training tool uses), so a colour image becomes
 * the same gray bytes for training, calibration, {@code classify}, {@code capture --gray} and the device.
 * The weights sum to 2^16, so R = G = B gives exactly that value back.
 */
public final class Luma {
    static final int RED = 19595;   // round(0.299 * 65536)
    static final int GREEN = 38470; // round(0.587 * 65536)
    static final int BLUE = 7471;   // 65536 - RED - GREEN (round(0.114 * 65536) = 7471)
    private static final int SHIFT = 16;

    private Luma() {}

    /** Luma of one 0..255 pixel. */
    public static int of(int r, int g, int b) {
        return (RED * r + GREEN * g + BLUE * b + (1 << (SHIFT - 1))) >> SHIFT;
    }

    /**
     * Luma of weighted sums of pixels (the same weights for R, G and B), at the sums' scale: the
     * conversion is linear, so the luma of an area's sum is the sum of its lumas, up to one rounding.
     */
    static long ofSums(long r, long g, long b) {
        return (RED * r + GREEN * g + BLUE * b + (1L << (SHIFT - 1))) >> SHIFT;
    }
}
