package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.quant.QuantizedMultiplier;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
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
 *
 * <p>Double-lane path (about twice as fast on AVX2, which has no 64-bit lane multiply): when no channel
 * shifts left and every multiplier is non-negative, the output is a non-decreasing function of
 * {@code x = acc + bias}, so prepare finds per channel the last x that gives {@code min} and the first
 * that gives {@code max} (binary search with the scalar rule) and eval clamps x to them first, which
 * changes no output. If then {@code |x| * m < 2^51} for every channel (right shifts up to about 11,
 * i.e. real multipliers above ~2^-12), {@code u = x * (m / 2^31)} is exact in a double, its fraction a
 * multiple of 2^-31; {@code u + 2^-32} is exact too and never a tie, so rounding it to the nearest
 * integer (adding 1.5 * 2^52, whose low 32 bits then hold the int) is {@code floor(u + 1/2) = (x * m +
 * 2^30) >> 31} exactly. The rounding shift follows in int lanes, where the clamped q cannot overflow.
 */
final class VectorRequant {
    private static final VectorSpecies<Integer> H = VectorKernelFactory.HALF_INTS;
    private static final VectorSpecies<Long> LG = VectorKernelFactory.LONGS;
    private static final int STEP = LG.length();
    private static final boolean VECTOR = VectorKernelFactory.VECTOR_REQUANT && H != null;
    private static final VectorSpecies<Double> D = VECTOR ? VectorSpecies.of(double.class, LG.vectorShape()) : null;
    /** 1.5 * 2^52: for |v| < 2^51, the low 32 bits of {@code v + MAGIC} are round-to-nearest(v) as an int. */
    private static final double MAGIC = 0x1.8p52;
    private static final VectorSpecies<Integer> S = VectorKernelFactory.INTS;
    /** Bytes with as many lanes as {@link #S}, to narrow a pixel's results in whole vectors (null below 8 lanes). */
    private static final VectorSpecies<Byte> NARROW = S.length() >= 8
            ? VectorSpecies.of(byte.class, jdk.incubator.vector.VectorShape.forBitSize(S.length() * 8)) : null;
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
    /** The double-lane path's tables (null when some channel does not qualify, see {@link #doubleLaneTables}). */
    private final int[] clampLow;
    private final int[] clampHigh;
    private final double[] scaledMultiplier;
    private final int[] rightShiftInt;
    private final int[] roundInt;
    private final int[] negAdjustInt;

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
        boolean doubles = VECTOR && D != null && !left;
        int[] lowT = new int[paddedChannels];
        int[] highT = new int[paddedChannels];
        for (int c = 0; c < channels && doubles; c++) {
            int m = multipliers[c];
            if (m < 0) {
                doubles = false;
                break;
            }
            lowT[c] = lastAtMin(c);
            highT[c] = firstAtMax(c);
            long reach = Math.max(Math.abs((long) lowT[c]), Math.abs((long) highT[c]));
            doubles = reach * m < 1L << 51;
        }
        if (doubles) {
            this.clampLow = lowT;
            this.clampHigh = highT;
            this.scaledMultiplier = new double[paddedChannels];
            this.rightShiftInt = new int[paddedChannels];
            this.roundInt = new int[paddedChannels];
            this.negAdjustInt = new int[paddedChannels];
            for (int c = 0; c < channels; c++) {
                scaledMultiplier[c] = multipliers[c] * 0x1p-31;
                rightShiftInt[c] = (int) rightShift[c];
                roundInt[c] = (int) round[c];
                negAdjustInt[c] = (int) negAdjust[c];
            }
        } else {
            this.clampLow = null;
            this.clampHigh = null;
            this.scaledMultiplier = null;
            this.rightShiftInt = null;
            this.roundInt = null;
            this.negAdjustInt = null;
        }
    }

    /** True when {@link #apply} runs the double-lane path (see the class comment). */
    boolean doubleLanes() {
        return scaledMultiplier != null;
    }

    /** Channel c's output for accumulator x + bias (no left shift), by the one scalar rule. */
    private int output(int c, int x) {
        return Requant.toInt8(x, multiplierInt[c], shiftInt[c], outputOffset, min, max);
    }

    /** The largest x whose output is {@code min} (the output is non-decreasing in x), at least Integer.MIN_VALUE. */
    private int lastAtMin(int c) {
        return (int) Math.max(Integer.MIN_VALUE, firstAtLeast(c, min + 1) - 1);
    }

    /** The smallest x whose output is {@code max}, at most Integer.MAX_VALUE. */
    private int firstAtMax(int c) {
        return (int) Math.min(Integer.MAX_VALUE, firstAtLeast(c, max));
    }

    /** The smallest int x with output(c, x) >= v, or 2^31 when there is none (binary search). */
    private long firstAtLeast(int c, int v) {
        if (output(c, Integer.MAX_VALUE) < v) {
            return 1L << 31;
        }
        long lo = Integer.MIN_VALUE;
        long hi = Integer.MAX_VALUE; // output(hi) >= v
        if (output(c, Integer.MIN_VALUE) >= v) {
            return lo;
        }
        while (hi - lo > 1) { // output(lo) < v
            long mid = (lo + hi) >> 1;
            if (output(c, (int) mid) >= v) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
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
        // Every vector below comes from a species constant (fromArray, convertShape, reinterpretShape): C2 then
        // knows its class; reinterpretAsX() leaves it to a type profile that other kernels pollute, and boxes.
        if (scaledMultiplier != null) {
            for (int c = 0; c < end; c += STEP) {
                IntVector x = IntVector.fromArray(H, acc, accStart + c).add(IntVector.fromArray(H, bias, c))
                        .max(IntVector.fromArray(H, clampLow, c)).min(IntVector.fromArray(H, clampHigh, c));
                IntVector q = (IntVector) ((DoubleVector) x.convertShape(VectorOperators.I2D, D, 0))
                        .mul(DoubleVector.fromArray(D, scaledMultiplier, c)).add(0x1p-32).add(MAGIC)
                        .reinterpretShape(LG, 0).convertShape(VectorOperators.L2I, H, 0);
                IntVector r = q.add(IntVector.fromArray(H, roundInt, c))
                        .add(q.lanewise(VectorOperators.ASHR, 31).and(IntVector.fromArray(H, negAdjustInt, c)))
                        .lanewise(VectorOperators.ASHR, IntVector.fromArray(H, rightShiftInt, c))
                        .add(outputOffset).max(min).min(max);
                if (B != null && c < full) {
                    ((ByteVector) r.convertShape(VectorOperators.I2B, B, 0)).intoArray(out, outStart + c);
                } else {
                    r.intoArray(tmp, tmpStart + c);
                }
            }
            narrowRest(full, tmp, tmpStart, out, outStart);
            return;
        }
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
                ((ByteVector) r.convertShape(VectorOperators.I2B, B, 0)).intoArray(out, outStart + c);
            } else {
                r.intoArray(tmp, tmpStart + c);
            }
        }
        narrowRest(full, tmp, tmpStart, out, outStart);
    }

    /**
     * Narrows what the vector loop left in tmp: the last partial vector's channels (from {@code full})
     * where whole vectors were stored as bytes, or every channel where no byte species of that lane count exists.
     */
    private void narrowRest(int full, int[] tmp, int tmpStart, byte[] out, int outStart) {
        if (B != null) {
            for (int c = full; c < channels; c++) {
                out[outStart + c] = (byte) tmp[tmpStart + c];
            }
        } else {
            narrow(tmp, tmpStart, out, outStart);
        }
    }

    /** {@code out[outStart + c] = (byte) tmp[tmpStart + c]} for the channels, whole vectors where possible. */
    private void narrow(int[] tmp, int tmpStart, byte[] out, int outStart) {
        int c = 0;
        if (NARROW != null) {
            for (; c + S.length() <= channels; c += S.length()) {
                ((ByteVector) IntVector.fromArray(S, tmp, tmpStart + c).convertShape(VectorOperators.I2B, NARROW, 0))
                        .intoArray(out, outStart + c);
            }
        }
        for (; c < channels; c++) {
            out[outStart + c] = (byte) tmp[tmpStart + c];
        }
    }
}
