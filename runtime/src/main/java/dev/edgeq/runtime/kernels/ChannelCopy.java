package dev.edgeq.runtime.kernels;

/**
 * Channel-range copies between NHWC tensors of any element type ({@code byte[]} or {@code float[]},
 * through {@link System#arraycopy}): the data movement of Slice, Split and of a Concatenation's
 * inputs that need no requantization. One copy per pixel, or one for the whole tensor when the
 * range covers every channel.
 */
public final class ChannelCopy {
    private ChannelCopy() {}

    /** {@code out[p, 0 .. size) = in[p, begin .. begin + size)} for {@code pixels} pixels of {@code inputChannels}. */
    public static void slice(int pixels, int inputChannels, int begin, int size, Object in, int inStart, Object out, int outStart) {
        if (size == inputChannels) {
            System.arraycopy(in, inStart, out, outStart, pixels * size);
            return;
        }
        for (int p = 0; p < pixels; p++) {
            System.arraycopy(in, inStart + p * inputChannels + begin, out, outStart + p * size, size);
        }
    }

    /** {@code out[p, begin .. begin + size) = in[p, 0 .. size)} for {@code pixels} pixels of {@code outputChannels}. */
    public static void place(int pixels, int outputChannels, int begin, int size, Object in, int inStart, Object out, int outStart) {
        if (size == outputChannels) {
            System.arraycopy(in, inStart, out, outStart, pixels * size);
            return;
        }
        for (int p = 0; p < pixels; p++) {
            System.arraycopy(in, inStart + p * size, out, outStart + p * outputChannels + begin, size);
        }
    }

    /** Checks a permutation of [0, n) at prepare time; returns a copy. */
    public static int[] checkPermutation(int[] permutation) {
        boolean[] seen = new boolean[permutation.length];
        for (int c = 0; c < permutation.length; c++) {
            int source = permutation[c];
            if (source < 0 || source >= permutation.length || seen[source]) {
                throw new IllegalArgumentException("channel permutation " + java.util.Arrays.toString(permutation)
                        + " is not a permutation of [0, " + permutation.length + "): entry " + c + " = " + source);
            }
            seen[source] = true;
        }
        return permutation.clone();
    }
}
