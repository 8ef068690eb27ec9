package dev.edgeq.runtime.kernels.int8;

/**
 * Reference int8 channel permutation (what a channel shuffle's Reshape, Transpose, Reshape becomes):
 * {@code out[p, c] = in[p, permutation[c]]}; scale and zero point kept. Plain loops, the oracle.
 */
public final class PermuteChannelsReference {
    private PermuteChannelsReference() {
    }

    public static void eval(int pixels, int[] permutation, byte[] input, int inputStart, byte[] output, int outputStart) {
        int channels = permutation.length;
        for (int p = 0; p < pixels; p++) {
            for (int c = 0; c < channels; c++) {
                output[outputStart + p * channels + c] = input[inputStart + p * channels + permutation[c]];
            }
        }
    }
}
