package dev.edgeq.runtime.kernels.int8;

/**
 * Fast int8 Mean over height and width, bit-exact with {@link MeanReference}: one pass over the
 * input in memory order accumulating per-channel sums in scratch (the reference strides by the
 * channel count), the zero point subtracted once per channel as {@code n * zeroPoint} (exact in
 * int32). Scratch: {@code channels} ints.
 */
public final class MeanFast implements Int8Kernel {
    private final MeanParams p;
    private final ChannelSum sum;

    private MeanFast(MeanParams p, ChannelSum sum) {
        this.p = p;
        this.sum = sum;
    }

    public static MeanFast prepare(MeanParams p) {
        return new MeanFast(p, ChannelSum.SCALAR);
    }

    /** With the channel sums of {@code sum} (the vector kernels' form). */
    static MeanFast prepare(MeanParams p, ChannelSum sum) {
        return new MeanFast(p, sum);
    }

    @Override
    public int scratchInts() {
        return p.channels;
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart,
                     float[] floatScratch, int floatScratchStart) {
        final int channels = p.channels;
        final int pixels = p.height * p.width;
        java.util.Arrays.fill(scratch, scratchStart, scratchStart + channels, 0);
        int in = inputStart;
        for (int i = 0; i < pixels; i++, in += channels) {
            sum.add(input, in, scratch, scratchStart, channels);
        }
        int zeroPointSum = pixels * p.inputZeroPoint;
        for (int c = 0; c < channels; c++) {
            output[outputStart + c] = (byte) p.finish(scratch[scratchStart + c] - zeroPointSum);
        }
    }
}
