package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.ChannelCopy;

/**
 * Fast int8 channel permutation, bit-exact with {@link PermuteChannelsReference}. A channel shuffle
 * of g groups of m channels is a transpose of each pixel's {@code [g][m]} block to {@code [m][g]};
 * prepare recognises it and eval walks the block with two fixed strides (no index lookups), any
 * other permutation goes through its index array.
 */
public final class PermuteChannelsFast {
    private final int[] permutation;
    /** Groups of a recognised shuffle, or 0. */
    private final int groups;

    private PermuteChannelsFast(int[] permutation) {
        this.permutation = ChannelCopy.checkPermutation(permutation);
        this.groups = shuffleGroups(this.permutation);
    }

    public static PermuteChannelsFast prepare(int[] permutation) {
        return new PermuteChannelsFast(permutation);
    }

    /** The g > 1 for which {@code permutation[k * g + j] = j * (C / g) + k}, or 0 when there is none. */
    static int shuffleGroups(int[] permutation) {
        int channels = permutation.length;
        if (channels < 2 || permutation[1] == 1) {
            return 0;
        }
        int perGroup = permutation[1]; // out channel 1 reads group 1's first channel: C / g
        if (perGroup < 1 || channels % perGroup != 0) {
            return 0;
        }
        int g = channels / perGroup;
        for (int k = 0; k < perGroup; k++) {
            for (int j = 0; j < g; j++) {
                if (permutation[k * g + j] != j * perGroup + k) {
                    return 0;
                }
            }
        }
        return g;
    }

    /** True when prepare recognised a channel shuffle (for tests and reports). */
    public boolean isShuffle() {
        return groups != 0;
    }

    /** Allocation-free, no scratch. */
    public void eval(int pixels, byte[] input, int inputStart, byte[] output, int outputStart) {
        final int channels = permutation.length;
        if (groups != 0) {
            final int g = groups;
            final int perGroup = channels / g;
            for (int p = 0; p < pixels; p++) {
                int in = inputStart + p * channels;
                int o = outputStart + p * channels;
                for (int k = 0; k < perGroup; k++) {
                    for (int j = 0; j < g; j++) {
                        output[o++] = input[in + j * perGroup + k];
                    }
                }
            }
            return;
        }
        final int[] perm = permutation;
        for (int p = 0; p < pixels; p++) {
            int in = inputStart + p * channels;
            int o = outputStart + p * channels;
            for (int c = 0; c < channels; c++) {
                output[o + c] = input[in + perm[c]];
            }
        }
    }
}
