package dev.edgeq.runtime.kernels.float32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.int8.VectorSupport;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vector float depthwise kernel against the reference {@link DepthwiseConv2DFloat}. Tolerance:
 * none. Both do the same IEEE operations per output value in the same order (bias, then per filter
 * position inside the input one multiply and one add, then the clamp), so every value is equal as a
 * float ({@code ==}, which lets +0 equal -0: a zero sum may carry either sign). Random
 * configurations (strides, asymmetric padding, dilation, depth multipliers, channel counts that are
 * and are not whole vectors, activation clamps, with and without bias), MobileNet shapes, and bands
 * of output rows as the Interpreter's threads run them.
 */
class DepthwiseConv2DFloatVectorTest {

    @Test
    void randomConfigurationsEqualTheReference() {
        assumeTrue(VectorSupport.available(), "module jdk.incubator.vector absent");
        Random r = new Random(20261202L);
        int checked = 0;
        while (checked < 500) {
            ConvGeometry g = randomGeometry(r);
            if (g == null) {
                continue;
            }
            checkAgainstReference(g, r, "configuration #" + checked);
            checked++;
        }
        System.out.printf("float depthwise: %d random configurations equal to the reference (%d int lanes)%n", checked,
                VectorSupport.intLanes());
    }

    @Test
    void mobileNetShapesEqualTheReference() {
        assumeTrue(VectorSupport.available(), "module jdk.incubator.vector absent");
        Random r = new Random(5);
        checkAgainstReference(geometry(112, 112, 32, 1, 3, 1, 1, 1, 1, 1, 1), r, "112x112x32 s1");
        checkAgainstReference(geometry(112, 112, 96, 1, 3, 2, 1, 0, 0, 1, 1), r, "112x112x96 s2");
        checkAgainstReference(geometry(14, 14, 123, 1, 5, 1, 1, 2, 2, 2, 2), r, "14x14x123 5x5");
    }

    @Test
    void bandsOfOutputRowsEqualTheWholeConvolution() {
        assumeTrue(VectorSupport.available(), "module jdk.incubator.vector absent");
        Random r = new Random(9);
        ConvGeometry g = geometry(23, 17, 21, 1, 3, 2, 2, 2, 1, 2, 1);
        float[] input = ModelFloats.random(r, g.inputSize());
        float[] weights = ModelFloats.random(r, g.kernelH * g.kernelW * g.outputC);
        float[] bias = ModelFloats.random(r, g.outputC);
        float[] whole = new float[g.outputSize()];
        DepthwiseConv2DFloatVector.conv(g, input, 0, weights, bias, -1f, 1f, whole, 0);
        float[] banded = new float[g.outputSize()];
        int[] cuts = {0, 1, 4, 5, g.outputH};
        for (int i = 0; i + 1 < cuts.length; i++) {
            ConvGeometry rows = g.outputRows(cuts[i], cuts[i + 1]);
            DepthwiseConv2DFloatVector.conv(rows, input, g.firstInputRow(cuts[i]) * g.inputW * g.inputC, weights, bias, -1f, 1f,
                    banded, cuts[i] * g.outputW * g.outputC);
        }
        assertTrue(Arrays.equals(whole, banded), "bands differ from the whole convolution");
    }

    /**
     * After warm-up the kernel allocates nothing: C2 must keep every vector in registers (on JDK 17 it
     * boxed the accumulator through nested tap loops, 600 bytes per output vector, before the tap loop
     * became one loop).
     */
    @Test
    void allocatesNothingOnceCompiled() {
        assumeTrue(VectorSupport.available(), "module jdk.incubator.vector absent");
        Random r = new Random(11);
        ConvGeometry g = geometry(30, 30, 40, 1, 3, 1, 1, 1, 1, 1, 1);
        float[] input = ModelFloats.random(r, g.inputSize());
        float[] weights = ModelFloats.random(r, 9 * g.outputC);
        float[] bias = ModelFloats.random(r, g.outputC);
        float[] out = new float[g.outputSize()];
        Runnable run = () -> DepthwiseConv2DFloatVector.conv(g, input, 0, weights, bias, 0f, 6f, out, 0);
        for (int i = 0; i < 3000; i++) {
            run.run();
        }
        dev.edgeq.runtime.testing.Allocations.assertAllocatesNothing(5, () -> {
            for (int i = 0; i < 50; i++) {
                run.run();
            }
        }, "50 calls");
    }

    private static void checkAgainstReference(ConvGeometry g, Random r, String what) {
        float[] input = ModelFloats.random(r, g.inputSize() + 3);
        float[] weights = ModelFloats.random(r, g.kernelH * g.kernelW * g.outputC);
        float[] bias = r.nextInt(4) == 0 ? null : ModelFloats.random(r, g.outputC);
        float lo = r.nextBoolean() ? Float.NEGATIVE_INFINITY : r.nextBoolean() ? 0f : -0.5f;
        float hi = r.nextBoolean() ? Float.POSITIVE_INFINITY : 0.7f;
        // Output at an offset with guards around it: the kernel writes exactly its tensor.
        float[] expected = new float[g.outputSize() + 4];
        float[] actual = new float[g.outputSize() + 4];
        Arrays.fill(expected, 42f);
        Arrays.fill(actual, 42f);
        DepthwiseConv2DFloat.conv(g, input, 3, weights, bias, lo, hi, expected, 2);
        DepthwiseConv2DFloatVector.conv(g, input, 3, weights, bias, lo, hi, actual, 2);
        for (int i = 0; i < expected.length; i++) {
            if (!(expected[i] == actual[i])) {
                throw new AssertionError(what + ": " + g + ", bias " + (bias != null) + ", clamp [" + lo + ", " + hi
                        + "]: element " + i + " expected " + expected[i] + ", got " + actual[i]);
            }
        }
        assertEquals(42f, actual[0]);
        assertEquals(42f, actual[actual.length - 1]);
    }

    private static ConvGeometry randomGeometry(Random r) {
        int c = 1 + (r.nextBoolean() ? r.nextInt(8) : r.nextInt(70));
        int m = r.nextInt(5) == 0 ? 2 + r.nextInt(2) : 1;
        int f = 1 + r.nextInt(5);
        int[] s = {1 + r.nextInt(14), 1 + r.nextInt(14), c, m, f, 1 + r.nextInt(3), r.nextInt(4) == 0 ? 2 : 1,
            r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3)};
        return geometry(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10]);
    }

    /** h, w, channels, multiplier, filter, stride, dilation, pad top, left, bottom, right; null if nothing fits. */
    private static ConvGeometry geometry(int h, int w, int c, int m, int f, int stride, int d, int pt, int pl, int pb, int pr) {
        int oh = ConvGeometry.outputSize(h, f, stride, d, pt, pb, false);
        int ow = ConvGeometry.outputSize(w, f, stride, d, pl, pr, false);
        if (oh < 1 || ow < 1) {
            return null;
        }
        return ConvGeometry.builder().input(h, w, c).output(oh, ow, c * m).kernel(f, f).stride(stride, stride)
                .dilation(d, d).padding(pt, pl, pb, pr).depthMultiplier(m).build();
    }

    /** Values of a trained layer's order of magnitude, some exactly zero. */
    private static final class ModelFloats {
        static float[] random(Random r, int n) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = r.nextInt(10) == 0 ? 0f : (float) r.nextGaussian();
            }
            return v;
        }
    }
}
