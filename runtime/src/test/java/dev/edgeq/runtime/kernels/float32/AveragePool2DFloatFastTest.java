package dev.edgeq.runtime.kernels.float32;

import dev.edgeq.runtime.kernels.ConvGeometry;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link AveragePool2DFloatFast} against the reference {@link AveragePool2DFloat}, every output
 * compared by {@link Float#floatToIntBits}: random geometries with padding, strides, ceil-mode
 * sizes, both count_include_pad rules, clamps, inputs with NaN, infinities and both zeros, a sums
 * buffer full of garbage, and a global pool over a large plane (EfficientNet's).
 */
class AveragePool2DFloatFastTest {
    private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e30f, -1f};

    @Test
    void randomGeometriesEqualTheReferenceBitForBit() {
        Random r = new Random(20261203L);
        int checked = 0;
        while (checked < 2000) {
            ConvGeometry g = MaxPool2DFloatFastTest.randomPool(r);
            if (g == null) {
                continue;
            }
            check(g, r.nextBoolean(), r, r.nextInt(10) == 0, "configuration #" + checked);
            checked++;
        }
    }

    @Test
    void globalPoolOfALargePlaneEqualsTheReference() {
        ConvGeometry g = ConvGeometry.builder().input(112, 112, 32).output(1, 1).kernel(112, 112).build();
        check(g, false, new Random(5), false, "global 112x112x32");
    }

    private static void check(ConvGeometry g, boolean includePad, Random r, boolean special, String what) {
        float[] input = new float[g.inputSize() + 3];
        for (int i = 0; i < input.length; i++) {
            input[i] = special && r.nextInt(8) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (float) (r.nextGaussian() * 10 + 3);
        }
        float lo = r.nextBoolean() ? Float.NEGATIVE_INFINITY : r.nextBoolean() ? 0f : -0.5f;
        float hi = r.nextBoolean() ? Float.POSITIVE_INFINITY : 4f;
        float[] expected = new float[g.outputSize() + 4];
        float[] actual = new float[g.outputSize() + 4];
        Arrays.fill(expected, 42f);
        Arrays.fill(actual, 42f);
        double[] sums = new double[g.outputC + 2];
        Arrays.fill(sums, Double.NaN);
        AveragePool2DFloat.averagePool(g, includePad, input, 3, lo, hi, expected, 2);
        AveragePool2DFloatFast.averagePool(g, includePad, input, 3, lo, hi, actual, 2, sums);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                throw new AssertionError(what + ": " + g + ", includePad " + includePad + ", clamp [" + lo + ", " + hi
                        + "]: element " + i + " expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }
}
