package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.ChannelBroadcast;
import dev.edgeq.runtime.kernels.Checks;

/**
 * Fast int8 Add / Sub / Mul, bit-exact with {@link BroadcastBinaryReference}: the output depends
 * only on the pair (x1, x2), so prepare tabulates the op for every pair (65536 bytes per layer) and
 * eval is one byte lookup per element, whatever the op's requantization costs.
 */
public final class BroadcastBinaryFast implements ElementPairKernel {
    /** {@code table[(x1 + 128) * 256 + (x2 + 128)]}. */
    private final byte[] table = new byte[256 * 256];

    private BroadcastBinaryFast(ElementPairFunction f) {
        for (int x1 = -128; x1 <= 127; x1++) {
            for (int x2 = -128; x2 <= 127; x2++) {
                int y = f.apply(x1, x2);
                Checks.inRange("table output for inputs " + x1 + ", " + x2, y, -128, 127);
                table[(x1 + 128) * 256 + x2 + 128] = (byte) y;
            }
        }
    }

    public static BroadcastBinaryFast prepare(ElementPairFunction f) {
        return new BroadcastBinaryFast(f);
    }

    /** Allocation-free, no scratch. */
    @Override
    public void eval(ChannelBroadcast s, byte[] input1, int input1Start, byte[] input2, int input2Start,
                     byte[] output, int outputStart) {
        if (!s.input1PerChannel && !s.input2PerChannel) {
            eval(input1, input1Start, input2, input2Start, output, outputStart, s.outputSize());
            return;
        }
        final byte[] t = table;
        final int channels = s.channels;
        int stride1 = s.input1PerChannel ? 0 : channels;
        int stride2 = s.input2PerChannel ? 0 : channels;
        for (int p = 0; p < s.pixels; p++) {
            int a = input1Start + p * stride1;
            int b = input2Start + p * stride2;
            int o = outputStart + p * channels;
            for (int c = 0; c < channels; c++) {
                output[o + c] = t[((input1[a + c] + 128) << 8) | (input2[b + c] + 128)];
            }
        }
    }

    /** Same-shape inputs, {@code length} elements. */
    public void eval(byte[] input1, int input1Start, byte[] input2, int input2Start, byte[] output, int outputStart, int length) {
        final byte[] t = table;
        for (int i = 0; i < length; i++) {
            output[outputStart + i] = t[((input1[input1Start + i] + 128) << 8) | (input2[input2Start + i] + 128)];
        }
    }
}
