package dev.edgeq.runtime.kernels.float32;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.int8.VectorSupport;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link MaxPool2DFloatFast} and, where the Vector API is present, {@code MaxPool2DFloatVector}
 * (whole channel vectors, then a scalar tail) against the reference {@link MaxPool2DFloat}, every output compared by
 * {@link Float#floatToIntBits} (equal bits; all NaNs count as one, as Math.max does not fix which
 * NaN operand it returns): random geometries with padding, strides, ceil-mode sizes, clamps, and
 * inputs with NaN, infinities and both signed zeros, whose max depends on getting -0 < +0 right.
 */
class MaxPool2DFloatFastTest {
    private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, -1f};

    @Test
    void randomGeometriesEqualTheReferenceBitForBit() {
        Random r = new Random(20261203L);
        int checked = 0;
        while (checked < 2000) {
            ConvGeometry g = randomPool(r);
            if (g == null) {
                continue;
            }
            check(g, r, "configuration #" + checked);
            checked++;
        }
    }

    @Test
    void resNetStemPoolEqualsTheReference() {
        ConvGeometry g = ConvGeometry.builder().input(112, 112, 64).output(56, 56).kernel(3, 3).stride(2, 2)
                .padding(1, 1, 1, 1).build();
        check(g, new Random(7), "ResNet stem 3x3/2");
    }

    /** A window wholly in the padding has no input: -infinity, clamped, as in the reference. */
    @Test
    void windowOutsideTheInputGivesTheClampedMinusInfinity() {
        ConvGeometry g = ConvGeometry.builder().input(2, 2, 3).output(3, 3).kernel(1, 1).stride(2, 2)
                .padding(1, 1, 1, 1).build();
        check(g, new Random(3), "window in the padding");
        float[] out = new float[g.outputSize()];
        MaxPool2DFloatFast.maxPool(g, new float[g.inputSize()], 0, -5f, 5f, out, 0);
        assertEquals(-5f, out[0]);
    }

    private static void check(ConvGeometry g, Random r, String what) {
        float[] input = new float[g.inputSize() + 3];
        for (int i = 0; i < input.length; i++) {
            input[i] = r.nextInt(8) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (float) r.nextGaussian();
        }
        float lo = r.nextBoolean() ? Float.NEGATIVE_INFINITY : r.nextBoolean() ? 0f : -0.5f;
        float hi = r.nextBoolean() ? Float.POSITIVE_INFINITY : 0.7f;
        float[] expected = new float[g.outputSize() + 4];
        java.util.Arrays.fill(expected, 42f);
        MaxPool2DFloat.maxPool(g, input, 3, lo, hi, expected, 2);
        float[] actual = new float[g.outputSize() + 4];
        java.util.Arrays.fill(actual, 42f);
        MaxPool2DFloatFast.maxPool(g, input, 3, lo, hi, actual, 2);
        compare(expected, actual, what + " (scalar)", g, lo, hi);
        if (VectorSupport.available()) {
            java.util.Arrays.fill(actual, 42f);
            VectorSupport.factory().maxPool2DFloat(g, input, 3, lo, hi, actual, 2);
            compare(expected, actual, what + " (vector)", g, lo, hi);
        }
    }

    private static void compare(float[] expected, float[] actual, String what, ConvGeometry g, float lo, float hi) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                throw new AssertionError(what + ": " + g + ", clamp [" + lo + ", " + hi + "]: element " + i
                        + " expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }

    /**
     * A random pooling geometry (1-69 channels, up to 12x12, windows up to 4, strides up to 3,
     * padding, ceil mode), or null when its output would be empty. Shared with AveragePool2DFloatFastTest.
     */
    static ConvGeometry randomPool(Random r) {
        int c = 1 + (r.nextBoolean() ? r.nextInt(5) : r.nextInt(70));
        int h = 1 + r.nextInt(12);
        int w = 1 + r.nextInt(12);
        int k = 1 + r.nextInt(4);
        int kw = r.nextBoolean() ? k : 1 + r.nextInt(4);
        int s = 1 + r.nextInt(3);
        int pt = r.nextInt(k), pl = r.nextInt(kw), pb = r.nextInt(k), pr = r.nextInt(kw);
        boolean ceil = r.nextBoolean();
        int oh = ConvGeometry.outputSize(h, k, s, 1, pt, pb, ceil);
        int ow = ConvGeometry.outputSize(w, kw, s, 1, pl, pr, ceil);
        if (oh < 1 || ow < 1) {
            return null;
        }
        return ConvGeometry.builder().input(h, w, c).output(oh, ow).kernel(k, kw).stride(s, s).padding(pt, pl, pb, pr).build();
    }
}
