package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.quant.QuantizedMultiplier;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The output stage (bias, {@link QuantizedMultiplier#multiplyByQuantizedMultiplier}, output offset,
 * clamp) over a run of output channels, vectorized and bit-exact with the scalar form. Both
 * roundings of TFLite's double-rounding multiply run in 64-bit lanes, in the shorter but equal form
 * of {@link Requant#multiplyByQuantizedMultiplierLong} (the proof is there; RequantIdentityTest
 * checks it against the scalar definition):
 * <ul>
 *   <li>doubling high multiply with its sign-dependent nudge and truncating division:
 *       {@code q = (x * m + 2^30) >> 31};</li>
 *   <li>rounding right shift, ties away from zero: {@code (q + round + ((q >> 63) & negAdjust)) >> r}
 *       with {@code round = 2^(r-1)}, {@code negAdjust = -1} for {@code r > 0} (both 0 for r = 0),
 *       which cannot overflow in 64 bits.</li>
 * </ul>
 * The left shift, output offset and clamp stay in int lanes, wrapping exactly like the scalar int
 * code. The saturating case {@code INT_MIN * INT_MIN} cannot occur: prepare rejects an INT_MIN multiplier.
 * When {@link VectorKernelFactory#VECTOR_REQUANT} is off the scalar {@link Requant} path is used. Tables are immutable, padded to whole vectors.
 */
final class VectorRequant {
    private static final VectorSpecies<Integer> H = VectorKernelFactory.HALF_INTS;
    private static final VectorSpecies<Long> LG = VectorKernelFactory.LONGS;
    private static final int STEP = LG.length();
    private static final boolean VECTOR = VectorKernelFactory.VECTOR_REQUANT && H != null;
    /** Bytes with the same lane count, for a narrowing store (64 bits is the narrowest byte vector). */
    private static final VectorSpecies<Byte> B = STEP >= 8
            ? ByteVector.SPECIES_PREFERRED.withShape(jdk.incubator.vector.VectorShape.forBitSize(STEP * 8)).check(byte.class) : null;

    final int channels;
    final int paddedChannels;
    private final int[] bias;
    private final int[] leftShift;
    private final long[] multiplier;
    private final long[] rightShift;
    private final long[] round;
    private final long[] negAdjust;
    /** False when no channel shifts left (the usual case: multipliers below 1), to skip that step. */
    private final boolean anyLeftShift;
    private final int[] multiplierInt;
    private final int[] shiftInt;
    private final int outputOffset;
    private final int min;
    private final int max;

    VectorRequant(int channels, int[] bias, int[] multipliers, int[] shifts, int outputOffset, int min, int max) {
        int lanes = VectorKernelFactory.INTS.length();
        this.channels = channels;
        this.paddedChannels = (channels + lanes - 1) / lanes * lanes;
        this.bias = new int[paddedChannels];
        this.leftShift = new int[paddedChannels];
        this.multiplier = new long[paddedChannels];
        this.rightShift = new long[paddedChannels];
        this.round = new long[paddedChannels];
        this.negAdjust = new long[paddedChannels];
        boolean left = false;
        this.multiplierInt = multipliers.clone();
        this.shiftInt = shifts.clone();
        for (int c = 0; c < channels; c++) {
            if (multipliers[c] == Integer.MIN_VALUE) {
                throw new IllegalArgumentException("multiplier of output channel " + c + " is INT_MIN (not a valid Q31 multiplier)");
            }
            this.bias[c] = bias[c];
            this.leftShift[c] = Math.max(shifts[c], 0);
            int r = Math.max(-shifts[c], 0);
            this.rightShift[c] = r;
            this.round[c] = r > 0 ? 1L << (r - 1) : 0;
            this.negAdjust[c] = r > 0 ? -1 : 0;
            left |= leftShift[c] != 0;
            this.multiplier[c] = multipliers[c];
        }
        this.anyLeftShift = left;
        this.outputOffset = outputOffset;
        this.min = min;
        this.max = max;
    }

    /**
     * Requantizes {@code channels} accumulators {@code acc[accStart..]} (bias not yet added) into
     * {@code out[outStart..]}. {@code acc} must hold {@code paddedChannels} ints at {@code accStart}
     * (the lanes past {@code channels} are computed with zero tables and thrown away, so a last
     * partial vector needs no scalar tail); {@code tmp} needs {@code paddedChannels} ints at {@code tmpStart}.
     */
    void apply(int[] acc, int accStart, int[] tmp, int tmpStart, byte[] out, int outStart) {
        if (!VECTOR) {
            for (int c = 0; c < channels; c++) {
                out[outStart + c] = Requant.toInt8(acc[accStart + c] + bias[c], multiplierInt[c], shiftInt[c], outputOffset, min, max);
            }
            return;
        }
        // One loop body (no helper method: on JDK 17 a vector returned from a method that C2 does not
        // inline is boxed, which measured 1 MB allocated per seedcnn inference). The lanes of a last
        // partial vector go through tmp; whole vectors narrow straight to bytes where a byte species
        // of that lane count exists.
        int full = channels / STEP * STEP;
        int end = (channels + STEP - 1) / STEP * STEP;
        for (int c = 0; c < end; c += STEP) {
            IntVector x = IntVector.fromArray(H, acc, accStart + c).add(IntVector.fromArray(H, bias, c));
            if (anyLeftShift) {
                x = x.lanewise(VectorOperators.LSHL, IntVector.fromArray(H, leftShift, c));
            }
            LongVector q = ((LongVector) x.convertShape(VectorOperators.I2L, LG, 0))
                    .mul(LongVector.fromArray(LG, multiplier, c)).add(1L << 30).lanewise(VectorOperators.ASHR, 31);
            LongVector rounded = q.add(LongVector.fromArray(LG, round, c))
                    .add(q.lanewise(VectorOperators.ASHR, 63).lanewise(VectorOperators.AND, LongVector.fromArray(LG, negAdjust, c)))
                    .lanewise(VectorOperators.ASHR, LongVector.fromArray(LG, rightShift, c));
            IntVector r = ((IntVector) rounded.convertShape(VectorOperators.L2I, H, 0)).add(outputOffset).max(min).min(max);
            if (B != null && c < full) {
                r.convertShape(VectorOperators.I2B, B, 0).reinterpretAsBytes().intoArray(out, outStart + c);
            } else {
                r.intoArray(tmp, tmpStart + c);
            }
        }
        for (int c = B != null ? full : 0; c < channels; c++) {
            out[outStart + c] = (byte) tmp[tmpStart + c];
        }
    }
}
