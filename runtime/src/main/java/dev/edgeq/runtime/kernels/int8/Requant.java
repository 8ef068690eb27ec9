package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.quant.QuantizedMultiplier;

/** The output stage shared by the fast kernels: requantize, add the output zero point, clamp, narrow. */
final class Requant {
    private Requant() {
    }

    static byte toInt8(int acc, int multiplier, int shift, int outputOffset, int min, int max) {
        int v = QuantizedMultiplier.multiplyByQuantizedMultiplier(acc, multiplier, shift) + outputOffset;
        return (byte) Math.min(Math.max(v, min), max);
    }
}
