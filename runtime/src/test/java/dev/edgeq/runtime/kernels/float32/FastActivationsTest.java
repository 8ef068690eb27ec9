package dev.edgeq.runtime.kernels.float32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.kernels.int8.VectorSupport;
import dev.edgeq.runtime.testing.Allocations;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The float-arithmetic Sigmoid and SiLU ({@link FastActivations}, {@code ActivationsVector}):
 * vector equal to scalar twin bit for bit (any NaN equal to any NaN; {@code floatToIntBits}
 * canonicalizes them), and both within {@link FastActivations#MAX_ULPS} ulps of the exact
 * {@link Activations} (an ulp being {@code Math.ulp} of the exact float result, so
 * {@link Float#MIN_VALUE} for subnormal results). Measured over every third float with |x| up to
 * 130 (1.5e9 inputs, beyond which both are constant): sigmoid 2 ulps, SiLU 3 ulps.
 */
class FastActivationsTest {
    private static final float[] SPECIALS = {
        0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0x7fa00001),
        Float.intBitsToFloat(0xffc12345), Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.MIN_NORMAL, -Float.MIN_NORMAL, 1e30f, -1e30f, 1e-30f, -1e-30f, 1f, -1f, 0.5f, -0.5f,
        FastActivations.CLAMP, Math.nextUp(FastActivations.CLAMP), Math.nextDown(FastActivations.CLAMP), 120f,
        -87.33655f, -88.72283f, 88.72283f, -103.27893f, -103.97208f, -104f, -108f, -110f, 16.635532f, 17.32868f,
        0.34657359f, -0.34657359f, 0.34657362f, -0.34657362f, 1e-8f, -1e-8f, 3e-4f, -3e-4f,
    };

    @Test
    void specialValues() {
        assertEquals(0.5f, FastActivations.sigmoid(0f));
        assertEquals(0.5f, FastActivations.sigmoid(-0f));
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(FastActivations.silu(0f)));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(FastActivations.silu(-0f)));
        assertEquals(1f, FastActivations.sigmoid(Float.POSITIVE_INFINITY));
        assertEquals(0f, FastActivations.sigmoid(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, FastActivations.silu(Float.POSITIVE_INFINITY));
        // The one documented difference: the exact one computes -inf / inf; the fast one gives the limit.
        assertTrue(Float.isNaN(Activations.silu(Float.NEGATIVE_INFINITY)));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(FastActivations.silu(Float.NEGATIVE_INFINITY)));
        assertTrue(Float.isNaN(FastActivations.sigmoid(Float.NaN)));
        assertTrue(Float.isNaN(FastActivations.silu(Float.NaN)));
        assertEquals(1f, FastActivations.sigmoid(20f));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(FastActivations.silu(-200f)));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(FastActivations.silu(-1e30f)));
        assertEquals(0f, FastActivations.sigmoid(-1e30f));
        assertEquals(1e30f, FastActivations.silu(1e30f));
        for (float x : SPECIALS) {
            within(x);
        }
    }

    @Test
    void withinMaxUlpsOfTheExactFunctions() {
        Random r = new Random(20261203L);
        for (int i = 0; i < 2_000_000; i++) {
            within(r.nextFloat() * 260f - 130f);
            within(Float.intBitsToFloat(r.nextInt()));
            within((float) (r.nextGaussian() * 4));
        }
        // Dense near zero and the bands where the formulas change (x = 0, subnormal results, the clamp).
        for (float x = -0.01f; x <= 0.01f; x += 1e-6f) {
            within(x);
        }
        for (float x = -125f; x <= -85f; x += 1e-4f) {
            within(x);
        }
    }

    @Test
    void vectorEqualsScalarTwinBitForBit() {
        assumeTrue(VectorSupport.available(), "module jdk.incubator.vector absent");
        // The lane kernel runs on JDK 25+ only (FloatKernels); on JDK 17 running it here polluted the Vector
        // API's shared type profiles so that later tests' float kernels in the same JVM were compiled boxed
        // (InterpreterTest: 61,824 bytes per run). tools/test runs this test on Temurin 25 as well.
        assumeTrue(Runtime.version().feature() >= 25, "ActivationsVector is used on JDK 25+ only");
        Random r = new Random(20261204L);
        int n = 1 << 20;
        float[] in = new float[n + 7];
        float[] vector = new float[n + 7];
        float[] scalar = new float[n + 7];
        for (int pass = 0; pass < 4; pass++) {
            for (int i = 0; i < in.length; i++) {
                switch (pass) {
                    case 0: in[i] = Float.intBitsToFloat(r.nextInt()); break;
                    case 1: in[i] = r.nextFloat() * 260f - 130f; break;
                    case 2: in[i] = (float) (r.nextGaussian() * 8); break;
                    default: in[i] = SPECIALS[i % SPECIALS.length]; break;
                }
            }
            // Odd offsets and a length that is no multiple of the lanes: vector body and scalar tail.
            int len = n + (pass % 4);
            VectorSupport.factory().sigmoidFloat(len, in, 3, vector, 1);
            FastActivations.sigmoid(len, in, 3, scalar, 1);
            sameBits(in, vector, scalar, len, "sigmoid pass " + pass);
            VectorSupport.factory().siluFloat(len, in, 3, vector, 1);
            FastActivations.silu(len, in, 3, scalar, 1);
            sameBits(in, vector, scalar, len, "silu pass " + pass);
        }
        System.out.printf("fast sigmoid/silu: vector equals scalar twin on %d values (%d int lanes)%n", 8 * n,
                VectorSupport.intLanes());
    }

    @Test
    void kernelsAllocateNothing() {
        float[] in = new float[1000];
        float[] out = new float[1000];
        Random r = new Random(5);
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) (r.nextGaussian() * 8);
        }
        for (Int8Kernels.Implementation family : Int8Kernels.Implementation.values()) {
            if (family == Int8Kernels.Implementation.VECTOR && !VectorSupport.available()) {
                continue;
            }
            UnaryFloat.Kernel sigmoid = FloatKernels.sigmoid(family);
            UnaryFloat.Kernel silu = FloatKernels.silu(family);
            Runnable run = () -> {
                sigmoid.eval(999, in, 1, out, 0);
                silu.eval(999, in, 0, out, 1);
            };
            for (int i = 0; i < 20000; i++) { // warm up: JIT compilation allocates, runs must not
                run.run();
            }
            Allocations.assertAllocatesNothing(5, () -> {
                for (int i = 0; i < 1000; i++) {
                    run.run();
                }
            }, family + ": bytes allocated over 1000 runs (best of 5 rounds)");
        }
    }

    private static void sameBits(float[] in, float[] vector, float[] scalar, int len, String what) {
        for (int i = 0; i < len; i++) {
            if (Float.floatToIntBits(vector[1 + i]) != Float.floatToIntBits(scalar[1 + i])) {
                throw new AssertionError(what + ": x = " + in[3 + i] + " (bits " + Integer.toHexString(Float.floatToRawIntBits(in[3 + i]))
                        + ") vector " + vector[1 + i] + " scalar " + scalar[1 + i]);
            }
        }
    }

    private static void within(float x) {
        check(x, Activations.sigmoid(x), FastActivations.sigmoid(x), "sigmoid");
        if (x != Float.NEGATIVE_INFINITY) {
            check(x, Activations.silu(x), FastActivations.silu(x), "silu");
        }
    }

    private static void check(float x, float exact, float fast, String what) {
        if (Float.isNaN(exact) || Float.isNaN(fast)) {
            if (Float.isNaN(exact) != Float.isNaN(fast)) {
                throw new AssertionError(what + "(" + x + "): exact " + exact + " fast " + fast);
            }
            return;
        }
        if (exact == fast) {
            return;
        }
        double ulps = Math.abs((double) exact - fast) / Math.ulp(exact);
        if (!(ulps <= FastActivations.MAX_ULPS)) {
            throw new AssertionError(what + "(" + x + " bits " + Integer.toHexString(Float.floatToRawIntBits(x)) + "): exact "
                    + exact + " fast " + fast + " = " + ulps + " ulps apart");
        }
    }
}
