package dev.edgeq.runtime.kernels;

/**
 * Shapes of an element-wise op on two NHWC tensors where either input may be a per-channel gate
 * {@code [1,1,1,C]} broadcast over the other's {@code [1,H,W,C]} (squeeze-excitation), or both have
 * the output's shape. Output element {@code (p, c)} reads input k at {@code c} when it is per
 * channel, else at {@code p * channels + c}. Built at prepare time; kernels trust it.
 */
public final class ChannelBroadcast {
    public final int pixels;
    public final int channels;
    public final boolean input1PerChannel;
    public final boolean input2PerChannel;

    private ChannelBroadcast(int pixels, int channels, boolean input1PerChannel, boolean input2PerChannel) {
        if (pixels < 1 || channels < 1) {
            throw new IllegalArgumentException("broadcast: pixels " + pixels + " and channels " + channels + " must be >= 1");
        }
        if ((long) pixels * channels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("broadcast: " + pixels + " x " + channels + " elements exceed the largest array");
        }
        this.pixels = pixels;
        this.channels = channels;
        this.input1PerChannel = input1PerChannel;
        this.input2PerChannel = input2PerChannel;
    }

    /** Both inputs and the output have {@code pixels * channels} elements. */
    public static ChannelBroadcast sameShape(int pixels, int channels) {
        return new ChannelBroadcast(pixels, channels, false, false);
    }

    /** One input is a per-channel gate; {@code gateIsInput1} says which. */
    public static ChannelBroadcast gate(int pixels, int channels, boolean gateIsInput1) {
        return new ChannelBroadcast(pixels, channels, gateIsInput1, !gateIsInput1);
    }

    public int outputSize() {
        return pixels * channels;
    }

    /** Elements of input 1 (channels when it is a gate). */
    public int input1Size() {
        return input1PerChannel ? channels : outputSize();
    }

    public int input2Size() {
        return input2PerChannel ? channels : outputSize();
    }

    @Override
    public String toString() {
        return "ChannelBroadcast{pixels=" + pixels + ", channels=" + channels + ", input1PerChannel=" + input1PerChannel
                + ", input2PerChannel=" + input2PerChannel + "}";
    }
}
