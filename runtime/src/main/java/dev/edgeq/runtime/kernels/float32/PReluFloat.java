package dev.edgeq.runtime.kernels.float32;

/** Float PRelu with one slope per channel (channels innermost, NHWC). */
public final class PReluFloat {
    private PReluFloat() {}

    /** {@code out[p, c] = x >= 0 ? x : slope[c] * x} over {@code n} elements, {@code slope.length} channels. */
    public static void eval(int n, float[] in, int inOff, float[] slope, float[] out, int outOff) {
        int channels = slope.length;
        for (int i = 0; i < n; i += channels) {
            for (int c = 0; c < channels; c++) {
                out[outOff + i + c] = Activations.prelu(in[inOff + i + c], slope[c]);
            }
        }
    }
}
