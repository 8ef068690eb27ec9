package dev.edgeq.runtime.quant;

/**
 * A real multiplier {@code M} stored as a Q31 fixed-point {@code multiplier} and a power-of-two
 * {@code shift}: {@code M ~= multiplier / 2^31 * 2^shift}. This is the single requantization
 * function of the int8 runtime; every kernel that rescales an int32 accumulator calls
 * {@link #multiplyByQuantizedMultiplier(int, int, int)}.
 *
 * <h2>Rounding rule (TFLite's "double rounding" form, bit-exact with its reference kernels)</h2>
 * <ol>
 *   <li>Left shift: {@code x * 2^max(shift, 0)} in int32 (wraps on overflow, as the C code does in
 *       practice; prepare-time range checks keep real models far from it).</li>
 *   <li>Saturating rounding doubling high multiply with the Q31 multiplier: the 64-bit product
 *       plus a nudge of {@code 2^30} when the product is non-negative, {@code 1 - 2^30} otherwise,
 *       divided by {@code 2^31} truncating toward zero. The one overflowing case
 *       {@code INT_MIN * INT_MIN} saturates to {@code INT_MAX}.</li>
 *   <li>Rounding right shift by {@code max(-shift, 0)} that rounds half away from zero.</li>
 * </ol>
 * Legal ranges: {@code shift} in [-31, 31]; {@code multiplier} any int32 (prepare produces values
 * in [2^30, 2^31) or 0, negative for negative real multipliers).
 *
 * <p>Instances are immutable and made at prepare time by {@link #quantizeMultiplier(double)}.
 *
 * @param multiplier Q31 mantissa
 * @param shift power-of-two exponent; positive = left shift
 */
public record QuantizedMultiplier(int multiplier, int shift) {

    /** Smallest legal shift (a right shift by 31). */
    public static final int MIN_SHIFT = -31;
    /** Largest legal shift (a left shift by 31). */
    public static final int MAX_SHIFT = 31;

    public QuantizedMultiplier {
        if (shift < MIN_SHIFT || shift > MAX_SHIFT) {
            throw new IllegalArgumentException("shift " + shift + " outside [" + MIN_SHIFT + ", " + MAX_SHIFT + "]");
        }
    }

    /** Applies this multiplier to {@code x}; same as the static form. */
    public int apply(int x) {
        return multiplyByQuantizedMultiplier(x, multiplier, shift);
    }

    /**
     * {@code round(x * multiplier / 2^31 * 2^shift)} with TFLite's double rounding (see the class
     * comment for the exact rule). Allocation-free, integer-only.
     */
    public static int multiplyByQuantizedMultiplier(int x, int multiplier, int shift) {
        int leftShift = shift > 0 ? shift : 0;
        int rightShift = shift > 0 ? 0 : -shift;
        return roundingDivideByPowerOfTwo(saturatingRoundingDoublingHighMul(x * (1 << leftShift), multiplier), rightShift);
    }

    /**
     * gemmlowp's SaturatingRoundingDoublingHighMul: {@code (a * b * 2 + 2^31) / 2^32} with the
     * sign-dependent nudge and truncating division; {@code INT_MIN * INT_MIN} saturates to INT_MAX.
     */
    public static int saturatingRoundingDoublingHighMul(int a, int b) {
        if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) {
            return Integer.MAX_VALUE;
        }
        long ab = (long) a * (long) b;
        long nudge = ab >= 0 ? (1L << 30) : (1L - (1L << 30));
        // Java's long division truncates toward zero, exactly like C's.
        return (int) ((ab + nudge) / (1L << 31));
    }

    /**
     * gemmlowp's RoundingDivideByPOT: {@code x / 2^exponent} rounded to nearest, ties away from zero.
     * {@code exponent} in [0, 31].
     */
    public static int roundingDivideByPowerOfTwo(int x, int exponent) {
        int mask = (int) ((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /**
     * Prepare-time conversion of a real multiplier, as TFLite's {@code QuantizeMultiplier}:
     * {@code frexp} gives {@code q} in [0.5, 1) and the exponent; {@code q * 2^31} is rounded half
     * away from zero; a mantissa that rounds up to {@code 2^31} is halved and the shift incremented;
     * multipliers below about {@code 2^-31} (shift below -31) flush to (0, 0); 0 gives (0, 0).
     *
     * @throws IllegalArgumentException for NaN, infinite values, or multipliers needing a left
     *     shift above 31 (|M| >= 2^31)
     */
    public static QuantizedMultiplier quantizeMultiplier(double realMultiplier) {
        if (Double.isNaN(realMultiplier) || Double.isInfinite(realMultiplier)) {
            throw new IllegalArgumentException("real multiplier must be finite, got " + realMultiplier);
        }
        if (realMultiplier == 0.0) {
            return new QuantizedMultiplier(0, 0);
        }
        double magnitude = Math.abs(realMultiplier);
        if (magnitude < 0x1p-40) { // includes subnormals: far below the flush-to-zero threshold
            return new QuantizedMultiplier(0, 0);
        }
        int shift = Math.getExponent(magnitude) + 1; // frexp exponent: |M| = q * 2^shift, q in [0.5, 1)
        double q = Math.scalb(realMultiplier, -shift);
        long qFixed = roundHalfAwayFromZero(Math.scalb(q, 31));
        if (Math.abs(qFixed) == (1L << 31)) {
            qFixed /= 2;
            shift++;
        }
        if (shift < MIN_SHIFT) {
            return new QuantizedMultiplier(0, 0);
        }
        if (shift > MAX_SHIFT) {
            throw new IllegalArgumentException("real multiplier " + realMultiplier + " too large (needs shift " + shift + " > " + MAX_SHIFT + ")");
        }
        return new QuantizedMultiplier((int) qFixed, shift);
    }

    /**
     * C's {@code std::round}: nearest integer, ties away from zero (exact for all doubles). The one rounding
     * from real to integer values in edgeq: the converter's weights, biases, zero points and range search,
     * the runtime's QUANTIZE and input quantization, activation ranges and lookup tables all use it, so a
     * value the converter predicts is the value the runtime computes.
     */
    public static long roundHalfAwayFromZero(double v) {
        double a = Math.abs(v);
        double floor = Math.floor(a);
        double r = (a - floor >= 0.5) ? floor + 1.0 : floor; // a - floor is exact
        return (long) Math.copySign(r, v);
    }
}
