package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.quant.QuantizedMultiplier;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The output stage (bias, {@link QuantizedMultiplier#multiplyByQuantizedMultiplier}, output offset,
 * clamp) vectorized over output channels, bit-exact with the scalar form: the doubling high multiply
 * runs in 64-bit lanes with the same sign-dependent nudge and a truncating (not flooring) division
 * by 2^31, and the rounding right shift uses the same mask/threshold rule. The saturating case
 * {@code INT_MIN * INT_MIN} cannot occur because prepare rejects a multiplier of INT_MIN here.
 *
 * <p>Immutable per-layer tables padded to a whole number of vectors (channel padded = 0 multiplier).
 */
final class VectorRequant {
    private static final VectorSpecies<Integer> I = VectorKernelFactory.INTS;
    private static final VectorSpecies<Long> LG = VectorKernelFactory.LONGS;
    private static final int L = I.length();

    final int channels;
    final int paddedChannels;
    private final int[] bias;
    private final int[] leftShift;
    private final long[] multiplier;
    private final int[] rightShift;
    private final int[] rightMask;
    private final int[] multiplierInt;
    private final int[] shiftInt;
    private final int outputOffset;
    private final int min;
    private final int max;

    VectorRequant(int channels, int[] bias, int[] multipliers, int[] shifts, int outputOffset, int min, int max) {
        this.channels = channels;
        this.paddedChannels = (channels + L - 1) / L * L;
        this.bias = new int[paddedChannels];
        this.leftShift = new int[paddedChannels];
        this.multiplier = new long[paddedChannels];
        this.rightShift = new int[paddedChannels];
        this.rightMask = new int[paddedChannels];
        this.multiplierInt = multipliers.clone();
        this.shiftInt = shifts.clone();
        for (int c = 0; c < channels; c++) {
            if (multipliers[c] == Integer.MIN_VALUE) {
                throw new IllegalArgumentException("multiplier of output channel " + c + " is INT_MIN (not a valid Q31 multiplier)");
            }
            this.bias[c] = bias[c];
            this.leftShift[c] = Math.max(shifts[c], 0);
            this.rightShift[c] = Math.max(-shifts[c], 0);
            this.rightMask[c] = (int) ((1L << rightShift[c]) - 1);
            this.multiplier[c] = multipliers[c];
        }
        this.outputOffset = outputOffset;
        this.min = min;
        this.max = max;
    }

    /**
     * Requantizes {@code channels} accumulators {@code acc[accStart..]} (bias not yet added) into
     * {@code out[outStart..]}; {@code tmp} needs {@code paddedChannels} ints of scratch at {@code tmpStart}
     * (may alias nothing else in use). {@code acc} must hold {@code paddedChannels} readable ints.
     */
    void apply(int[] acc, int accStart, int[] tmp, int tmpStart, byte[] out, int outStart) {
        final int full = channels / L * L;
        for (int c = 0; c < full; c += L) {
            IntVector x = IntVector.fromArray(I, acc, accStart + c).add(IntVector.fromArray(I, bias, c));
            x = x.lanewise(VectorOperators.LSHL, IntVector.fromArray(I, leftShift, c));
            IntVector high = highMul(x, c);
            IntVector r = roundingShift(high, c);
            r = r.add(outputOffset).max(min).min(max);
            r.intoArray(tmp, tmpStart + c);
        }
        for (int c = 0; c < full; c++) {
            out[outStart + c] = (byte) tmp[tmpStart + c];
        }
        for (int c = full; c < channels; c++) {
            out[outStart + c] = Requant.toInt8(acc[accStart + c] + bias[c], multiplierInt[c], shiftInt[c], outputOffset, min, max);
        }
    }

    /** SaturatingRoundingDoublingHighMul per lane, in 64-bit lanes. */
    private IntVector highMul(IntVector x, int c) {
        LongVector lo = (LongVector) x.convertShape(VectorOperators.I2L, LG, 0);
        LongVector hi = (LongVector) x.convertShape(VectorOperators.I2L, LG, 1);
        LongVector qLo = doublingHigh(lo.mul(LongVector.fromArray(LG, multiplier, c)));
        LongVector qHi = doublingHigh(hi.mul(LongVector.fromArray(LG, multiplier, c + L / 2)));
        IntVector a = (IntVector) qLo.convertShape(VectorOperators.L2I, I, 0);
        IntVector b = (IntVector) qHi.convertShape(VectorOperators.L2I, I, -1);
        return a.lanewise(VectorOperators.OR, b);
    }

    /** (ab + nudge) / 2^31 truncating toward zero, nudge = 2^30 for ab >= 0 else 1 - 2^30. */
    private static LongVector doublingHigh(LongVector ab) {
        VectorMask<Long> negative = ab.compare(VectorOperators.LT, 0L);
        LongVector u = ab.add(LongVector.broadcast(LG, 1L << 30).blend(1L - (1L << 30), negative));
        LongVector q = u.lanewise(VectorOperators.ASHR, 31);
        // Arithmetic shift floors; truncation differs for negative u with a non-zero remainder.
        VectorMask<Long> fix = u.compare(VectorOperators.LT, 0L)
                .and(u.lanewise(VectorOperators.AND, 0x7FFFFFFFL).compare(VectorOperators.NE, 0L));
        return q.add(1L, fix);
    }

    /** RoundingDivideByPOT per lane with per-channel exponents. */
    private IntVector roundingShift(IntVector x, int c) {
        IntVector mask = IntVector.fromArray(I, rightMask, c);
        IntVector remainder = x.lanewise(VectorOperators.AND, mask);
        IntVector threshold = mask.lanewise(VectorOperators.ASHR, 1).add(1, x.compare(VectorOperators.LT, 0));
        IntVector shifted = x.lanewise(VectorOperators.ASHR, IntVector.fromArray(I, rightShift, c));
        return shifted.add(1, remainder.compare(VectorOperators.GT, threshold));
    }
}
