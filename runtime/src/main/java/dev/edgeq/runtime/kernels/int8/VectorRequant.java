package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.quant.QuantizedMultiplier;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The output stage (bias, {@link QuantizedMultiplier#multiplyByQuantizedMultiplier}, output offset,
 * clamp) over a run of output channels, vectorized and bit-exact with the scalar form:
 * <ul>
 *   <li>the doubling high multiply runs in 64-bit lanes: nudge {@code 2^30 + (sign(ab) & (1 - 2^31))}
 *       (= 2^30 or 1 - 2^30), then a division by 2^31 truncating toward zero written as
 *       {@code (u + (sign(u) & (2^31 - 1))) >> 31};</li>
 *   <li>the rounding right shift uses the same mask/threshold rule, branch-free:
 *       {@code (x >> r) - ((threshold - remainder) >> 31)}.</li>
 * </ul>
 * The saturating case {@code INT_MIN * INT_MIN} cannot occur: prepare rejects an INT_MIN multiplier.
 * When {@link VectorKernelFactory#VECTOR_REQUANT} is off, or for the channels after the last whole
 * vector, the scalar {@link Requant} path is used. Tables are immutable, padded to whole vectors.
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
    private final int[] rightShift;
    private final int[] rightMask;
    private final int[] halfMask;
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
        this.rightShift = new int[paddedChannels];
        this.rightMask = new int[paddedChannels];
        this.halfMask = new int[paddedChannels];
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
            this.halfMask[c] = rightMask[c] >> 1;
            this.multiplier[c] = multipliers[c];
        }
        this.outputOffset = outputOffset;
        this.min = min;
        this.max = max;
    }

    /**
     * Requantizes {@code channels} accumulators {@code acc[accStart..]} (bias not yet added) into
     * {@code out[outStart..]}; {@code tmp} needs {@code paddedChannels} ints at {@code tmpStart}.
     */
    void apply(int[] acc, int accStart, int[] tmp, int tmpStart, byte[] out, int outStart) {
        int full = 0;
        if (VECTOR) {
            full = channels / STEP * STEP;
            for (int c = 0; c < full; c += STEP) {
                IntVector x = IntVector.fromArray(H, acc, accStart + c).add(IntVector.fromArray(H, bias, c))
                        .lanewise(VectorOperators.LSHL, IntVector.fromArray(H, leftShift, c));
                LongVector ab = ((LongVector) x.convertShape(VectorOperators.I2L, LG, 0))
                        .mul(LongVector.fromArray(LG, multiplier, c));
                LongVector u = ab.add(ab.lanewise(VectorOperators.ASHR, 63).lanewise(VectorOperators.AND, 1L - (1L << 31))
                        .add(1L << 30));
                LongVector q = u.add(u.lanewise(VectorOperators.ASHR, 63).lanewise(VectorOperators.AND, 0x7FFFFFFFL))
                        .lanewise(VectorOperators.ASHR, 31);
                IntVector h = (IntVector) q.convertShape(VectorOperators.L2I, H, 0);
                IntVector remainder = h.lanewise(VectorOperators.AND, IntVector.fromArray(H, rightMask, c));
                IntVector threshold = IntVector.fromArray(H, halfMask, c).sub(h.lanewise(VectorOperators.ASHR, 31));
                IntVector r = h.lanewise(VectorOperators.ASHR, IntVector.fromArray(H, rightShift, c))
                        .sub(threshold.sub(remainder).lanewise(VectorOperators.ASHR, 31));
                r = r.add(outputOffset).max(min).min(max);
                if (B != null) {
                    r.convertShape(VectorOperators.I2B, B, 0).reinterpretAsBytes().intoArray(out, outStart + c);
                } else {
                    r.intoArray(tmp, tmpStart + c);
                }
            }
            if (B == null) {
                for (int c = 0; c < full; c++) {
                    out[outStart + c] = (byte) tmp[tmpStart + c];
                }
            }
        }
        for (int c = full; c < channels; c++) {
            out[outStart + c] = Requant.toInt8(acc[accStart + c] + bias[c], multiplierInt[c], shiftInt[c], outputOffset, min, max);
        }
    }
}
