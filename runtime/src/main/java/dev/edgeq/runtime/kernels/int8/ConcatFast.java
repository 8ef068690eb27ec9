package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.ChannelCopy;

/**
 * Fast int8 concatenation, bit-exact with {@link ConcatReference}: an input with the output's
 * quantization is copied a pixel row at a time ({@link ChannelCopy}); one to requantize goes through
 * a 256-entry table of {@link Requantize#apply} built at prepare.
 */
public final class ConcatFast {
    private final ConcatParams p;
    /** Per input: null for a copy, else {@code table[x + 128]}. */
    private final byte[][] tables;

    private ConcatFast(ConcatParams p) {
        this.p = p;
        tables = new byte[p.inputCount()][];
        for (int k = 0; k < tables.length; k++) {
            Requantize q = p.requantize[k];
            if (q != null) {
                tables[k] = new byte[256];
                for (int x = -128; x <= 127; x++) {
                    tables[k][x + 128] = (byte) q.apply(x);
                }
            }
        }
    }

    public static ConcatFast prepare(ConcatParams p) {
        return new ConcatFast(p);
    }

    /** Input k is {@code inputs[k]} from {@code inputStarts[k]}; allocation-free, no scratch. */
    public void eval(byte[][] inputs, int[] inputStarts, byte[] output, int outputStart) {
        final int pixels = p.pixels;
        final int outC = p.outputChannels;
        int begin = 0;
        for (int k = 0; k < tables.length; k++) {
            int channels = p.channels[k];
            byte[] in = inputs[k];
            int inStart = inputStarts[k];
            byte[] t = tables[k];
            if (t == null) {
                ChannelCopy.place(pixels, outC, begin, channels, in, inStart, output, outputStart);
            } else {
                for (int pixel = 0; pixel < pixels; pixel++) {
                    int i = inStart + pixel * channels;
                    int o = outputStart + pixel * outC + begin;
                    for (int c = 0; c < channels; c++) {
                        output[o + c] = t[in[i + c] + 128];
                    }
                }
            }
            begin += channels;
        }
    }
}
