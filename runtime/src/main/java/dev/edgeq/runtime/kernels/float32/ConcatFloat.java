package dev.edgeq.runtime.kernels.float32;

import dev.edgeq.runtime.kernels.ChannelCopy;

/** Float concatenation along channels (NHWC last axis) of any number of inputs with the same pixels. */
public final class ConcatFloat {
    private ConcatFloat() {}

    /** Input k has {@code channels[k]} channels; the output has their sum. */
    public static void eval(int pixels, int[] channels, float[][] inputs, int[] inputOffsets, float[] out, int outOff) {
        int outputChannels = 0;
        for (int c : channels) {
            outputChannels += c;
        }
        int begin = 0;
        for (int k = 0; k < channels.length; k++) {
            ChannelCopy.place(pixels, outputChannels, begin, channels[k], inputs[k], inputOffsets[k], out, outOff);
            begin += channels[k];
        }
    }
}
