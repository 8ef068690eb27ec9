package dev.edgeq.runtime.kernels.float32;

/** Float channel permutation: {@code out[p, c] = in[p, permutation[c]]} (a channel shuffle). */
public final class PermuteChannelsFloat {
    private PermuteChannelsFloat() {}

    public static void eval(int pixels, int[] permutation, float[] in, int inOff, float[] out, int outOff) {
        int channels = permutation.length;
        for (int p = 0; p < pixels; p++) {
            int i = inOff + p * channels;
            int o = outOff + p * channels;
            for (int c = 0; c < channels; c++) {
                out[o + c] = in[i + permutation[c]];
            }
        }
    }
}
