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

    /**
     * {@link QuantizedMultiplier#multiplyByQuantizedMultiplier} for a right shift {@code r = -shift}
     * in [0, 31] (no left shift) in the form the vector output stage uses, equal for every int
     * {@code x} and every multiplier except INT_MIN:
     * <ul>
     *   <li>Doubling high multiply: with {@code ab = x * m}, TFLite adds {@code 2^30} when
     *       {@code ab >= 0} and {@code 1 - 2^30} otherwise, then divides by {@code 2^31} truncating
     *       toward zero. The sum has the sign of {@code ab}, and truncation of a negative number is
     *       floor after adding {@code 2^31 - 1}; the two adjustments total {@code 2^30} in both cases,
     *       so {@code q = floor((ab + 2^30) / 2^31) = (ab + 2^30) >> 31}.</li>
     *   <li>Rounding divide by {@code 2^r}, ties away from zero (r >= 1): for {@code q >= 0} it is
     *       {@code (q + 2^(r-1)) >> r}; for {@code q < 0} it rounds up only past the tie, which is
     *       {@code (q + 2^(r-1) - 1) >> r}. For r = 0 it is q itself. In 64 bits nothing overflows.</li>
     * </ul>
     */
    static int multiplyByQuantizedMultiplierLong(int x, int multiplier, int rightShift) {
        long q = ((long) x * multiplier + (1L << 30)) >> 31;
        long round = rightShift > 0 ? 1L << (rightShift - 1) : 0;
        long negAdjust = rightShift > 0 ? -1 : 0;
        return (int) ((q + round + ((q >> 63) & negAdjust)) >> rightShift);
    }
}
