package dev.edgeq.runtime.kernels.float32;

/**
 * Sigmoid and SiLU in float arithmetic, for the float kernels: the scalar twin of
 * {@code ActivationsVector}, which does the same float operations in the same order in lanes, so
 * both give the same bits (NaN payloads aside) on every CPU and vector width. No FMA anywhere: a
 * multiply and an add are two roundings on x86 and ARM alike.
 *
 * <p>Why a second definition beside {@link Activations}: the exact ones (double, {@link StrictMath})
 * cost 10-15 ns per element, about 75% of float EfficientNet-B0's time; in 16 lanes these cost
 * about 0.65 ns (7.5 ns scalar; FloatActivationBenchmark). The int8 tables
 * ({@code kernels.int8.RealFunctionTable}) and the REFERENCE kernel family stay on the exact
 * functions (tables are built once; changing them would change converted models). The two are at
 * most {@link #MAX_ULPS} ulps of the exact float result apart for every input but SiLU(-infinity),
 * subnormal results included (an ulp is then {@link Float#MIN_VALUE}); measured over every third
 * float with |x| up to 130: sigmoid 2 ulps, SiLU 3, and 94% of the values equal (FastActivationsTest).
 *
 * <p>exp: {@code e = exp(-|x|)}, never above 1, so nothing overflows: Cody-Waite reduction
 * {@code -|x| = n ln2 + r} (n rounded to nearest with the 1.5 * 2^23 trick, exact for |n| below
 * 2^22; ln2 in two parts, the first with 9 significant bits so {@code n * LN2_HI} is exact), Cephes'
 * expf polynomial on |r| up to ln2 / 2, and 2^n applied as two exact power-of-two factors
 * {@code 2^n1 * 2^n2} (n1 = n >> 1), each a normal float down to the clamp at -120, so the results
 * that are subnormal floats are rounded once. Then with {@code q = p(r) 2^n1} (e = q 2^n2):
 * <ul>
 *   <li>x &gt;= 0: sigmoid = 1 / (1 + e), silu = x / (1 + e);</li>
 *   <li>x &lt; 0: sigmoid = (q / (1 + e)) 2^n2, silu = ((x q) / (1 + e)) 2^n2 (exp(x) / (1 + exp(x))
 *   times x: the last factor is the only one that can round into subnormals).</li>
 * </ul>
 * Below x = -120 x is taken as -120, where both results are already 0 and -0 as in the exact
 * functions; so -infinity gives 0 and -0 (the exact SiLU computes -inf / inf = NaN: the one place
 * they differ by more than ulps); +infinity gives 1 and +infinity; NaN gives NaN; -0 gives 0.5 and -0.
 */
public final class FastActivations {
    /** Largest distance from {@link Activations#sigmoid} and {@link Activations#silu}, in ulps of their result. */
    public static final int MAX_ULPS = 3;

    /** Inputs below are taken as this (exp(-120) * 120 rounds to 0 in float; its 2^n factors stay normal). */
    static final float CLAMP = -120f;
    static final float LOG2E = 1.44269504088896341f;
    /** 1.5 * 2^23: adding it rounds to an integer (ties to even) held in the low mantissa bits. */
    static final float ROUND = 12582912f;
    static final int ROUND_BITS = 0x4B400000;
    static final int ONE_BITS = 0x3F800000;
    static final int SIGN_BIT = 0x80000000;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    // Cephes expf: exp(r) = 1 + r + r^2 P(r) on |r| <= ln2 / 2.
    static final float P0 = 1.9875691500e-4f;
    static final float P1 = 1.3981999507e-3f;
    static final float P2 = 8.3334519073e-3f;
    static final float P3 = 4.1665795894e-2f;
    static final float P4 = 1.6666665459e-1f;
    static final float P5 = 5.0000001201e-1f;

    private FastActivations() {
    }

    public static float sigmoid(float x) {
        return eval(x, false);
    }

    public static float silu(float x) {
        return eval(x, true);
    }

    /** {@code out[outOff + i] = sigmoid(in[inOff + i])} for i in [0, n). */
    public static void sigmoid(int n, float[] in, int inOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = eval(in[inOff + i], false);
        }
    }

    /** {@code out[outOff + i] = silu(in[inOff + i])} for i in [0, n). */
    public static void silu(int n, float[] in, int inOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = eval(in[inOff + i], true);
        }
    }

    private static float eval(float x, boolean silu) {
        int xBits = Float.floatToRawIntBits(x);
        float y = Math.max(Float.intBitsToFloat(xBits | SIGN_BIT), CLAMP);
        float t = y * LOG2E + ROUND;
        float n = t - ROUND;
        int k = Float.floatToRawIntBits(t) - ROUND_BITS;
        int k1 = k >> 1;
        float s1 = Float.intBitsToFloat((k1 + 127) << 23);
        int s2 = (k - k1 + 127) << 23;
        float r = y - n * LN2_HI - n * LN2_LO;
        float p = P0 * r + P1;
        p = p * r + P2;
        p = p * r + P3;
        p = p * r + P4;
        p = p * r + P5;
        p = p * (r * r) + r + 1f;
        float q = p * s1;
        float d = 1f + q * Float.intBitsToFloat(s2);
        // The x >= 0 / x < 0 choice by the sign bit in integer arithmetic, ((a ^ b) & negative) ^ b:
        // no branch (random signs mispredict) and no vector mask (ActivationsVector). -0 takes the
        // x < 0 formulas, which give 0.5 and -0 for it as the others would.
        int negative = xBits >> 31;
        int num = silu ? ((Float.floatToRawIntBits(y * q) ^ xBits) & negative) ^ xBits
                : ((Float.floatToRawIntBits(q) ^ ONE_BITS) & negative) ^ ONE_BITS;
        int post = ((s2 ^ ONE_BITS) & negative) ^ ONE_BITS;
        return Float.intBitsToFloat(num) / d * Float.intBitsToFloat(post);
    }
}
