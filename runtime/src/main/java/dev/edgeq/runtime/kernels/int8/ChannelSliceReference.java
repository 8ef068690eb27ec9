package dev.edgeq.runtime.kernels.int8;

/**
 * Reference int8 Slice along channels: {@code out[p, c] = in[p, begin + c]} for c in [0, size).
 * Split is one slice per output at consecutive begins. Scale and zero point are kept (TFLite's
 * quantization spec), so values are copied. Plain loops, the oracle of
 * {@link dev.edgeq.runtime.kernels.ChannelCopy#slice}, the fast kernel (shared with float).
 */
public final class ChannelSliceReference {
    private ChannelSliceReference() {
    }

    public static void eval(int pixels, int inputChannels, int begin, int size, byte[] input, int inputStart,
                            byte[] output, int outputStart) {
        for (int p = 0; p < pixels; p++) {
            for (int c = 0; c < size; c++) {
                output[outputStart + p * size + c] = input[inputStart + p * inputChannels + begin + c];
            }
        }
    }
}
