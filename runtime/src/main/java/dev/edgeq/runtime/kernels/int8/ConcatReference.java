package dev.edgeq.runtime.kernels.int8;

/** Reference int8 concatenation along channels ({@link ConcatParams}); plain loops, the oracle. */
public final class ConcatReference {
    private ConcatReference() {
    }

    /** Input k is {@code inputs[k]} from {@code inputStarts[k]}. */
    public static void eval(ConcatParams p, byte[][] inputs, int[] inputStarts, byte[] output, int outputStart) {
        for (int pixel = 0; pixel < p.pixels; pixel++) {
            int o = outputStart + pixel * p.outputChannels;
            for (int k = 0; k < p.inputCount(); k++) {
                int channels = p.channels[k];
                Requantize q = p.requantize[k];
                for (int c = 0; c < channels; c++) {
                    int x = inputs[k][inputStarts[k] + pixel * channels + c];
                    output[o++] = (byte) (q == null ? x : q.apply(x));
                }
            }
        }
    }
}
