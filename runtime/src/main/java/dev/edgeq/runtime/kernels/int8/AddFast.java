package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.quant.QuantizedMultiplier;

/**
 * Fast int8 Add, bit-exact with {@link AddReference}. The input rescale of an int8 value can only
 * take 2 * 256 distinct inputs, so prepare tabulates {@code multiplyByQuantizedMultiplier((x +
 * offset) << leftShift, ...)} for every x in [-128, 127] per input (two 256-int tables), leaving
 * one table lookup per input and one requantization per element at eval time.
 */
public final class AddFast {
    private final AddParams p;
    private final int[] scaled1 = new int[256];
    private final int[] scaled2 = new int[256];

    private AddFast(AddParams p) {
        this.p = p;
        for (int x = -128; x <= 127; x++) {
            scaled1[x + 128] = QuantizedMultiplier.multiplyByQuantizedMultiplier((x + p.input1Offset) * (1 << p.leftShift),
                    p.input1Multiplier, p.input1Shift);
            scaled2[x + 128] = QuantizedMultiplier.multiplyByQuantizedMultiplier((x + p.input2Offset) * (1 << p.leftShift),
                    p.input2Multiplier, p.input2Shift);
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
        final int[] t1 = scaled1;
        final int[] t2 = scaled2;
        final int mult = p.outputMultiplier;
        final int shift = p.outputShift;
        final int offset = p.outputOffset;
        final int min = p.activationMin;
        final int max = p.activationMax;
        for (int i = 0; i < length; i++) {
            int sum = t1[input1[input1Start + i] + 128] + t2[input2[input2Start + i] + 128];
            output[outputStart + i] = Requant.toInt8(sum, mult, shift, offset, min, max);
        }
    }
}
