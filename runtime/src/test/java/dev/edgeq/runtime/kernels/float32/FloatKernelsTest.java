package dev.edgeq.runtime.kernels.float32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.kernels.int8.VectorSupport;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Vector API float convolution and fully connected kernels against the reference loops on
 * seeded random configurations (groups, strides, dilations, asymmetric padding, activations, with
 * and without bias), held to the bound stated in {@link FloatKernels}: {@code |fast - reference| <=
 * 2 * gamma(n) * (|bias| + sum |w * x|)}, n = taps + 1. The kernels run on a scratch and output
 * prefilled with garbage, so a value read before it is written, or a write outside the output, shows.
 */
class FloatKernelsTest {
    private static final int CONFIGS = Integer.getInteger("edgeq.randomConfigs", 1000);
    private static final double U = Math.scalb(1.0, -24);

    private static final Int8Kernels.Implementation VECTOR = Int8Kernels.Implementation.VECTOR;

    @Test
    void conv2DMatchesTheReferenceWithinTheRoundingBound() {
        assumeTrue(VectorSupport.available(), "no jdk.incubator.vector: only the reference runs");
        Random r = new Random(20261202L);
        int checked = 0;
        double worst = 0;
        while (checked < CONFIGS) {
            ConvGeometry g = randomConv(r);
            if (g == null) {
                continue;
            }
            int groupIn = g.inputC / g.groups;
            float[] w = randomFloats(r, g.outputC * g.kernelH * g.kernelW * groupIn);
            float[] bias = r.nextInt(4) == 0 ? null : randomFloats(r, g.outputC);
            float[] x = randomFloats(r, g.inputSize());
            float[] act = randomActivation(r);
            float[] expected = run(FloatKernels.conv2D(g, w, bias, act[0], act[1], Int8Kernels.Implementation.REFERENCE), x, g.outputSize(), r);
            float[] actual = run(FloatKernels.conv2D(g, w, bias, act[0], act[1], VECTOR), x, g.outputSize(), r);
            double[] magnitude = convMagnitudes(g, x, w, bias);
            int taps = g.kernelH * g.kernelW * groupIn;
            worst = Math.max(worst, check("conv " + g + " bias " + (bias != null) + " act " + Arrays.toString(act),
                    expected, actual, magnitude, taps));
            checked++;
        }
        System.out.printf("float conv2D: %d random configs, fast within %.3f of the rounding bound%n", checked, worst);
    }

    /**
     * The vector convolution is, bit for bit, each output's bias followed by one {@code Math.fma} per
     * tap in (ky, kx, ic) order (padding taps multiply a zero), then the clamp: the cache blocking
     * (64-pixel blocks, 128-tap chunks, 3-vector channel slices, see Conv2DFloatVector) must continue
     * every sum where it stopped. Shapes with several blocks, chunks and slices, grouped and strided.
     */
    @Test
    void conv2DIsTheFusedMultiplyAddChainInTapOrder() {
        assumeTrue(VectorSupport.available(), "no jdk.incubator.vector: only the reference runs");
        Random r = new Random(20261204L);
        ConvGeometry[] shapes = {
            ConvGeometry.builder().input(10, 11, 40).output(10, 11, 70).kernel(3, 3).padding(1, 1, 1, 1).build(),
            ConvGeometry.builder().input(17, 9, 48).output(9, 5, 100).kernel(3, 3).stride(2, 2).padding(1, 1, 1, 1).groups(2).build(),
            ConvGeometry.builder().input(9, 9, 300).output(9, 9, 33).kernel(1, 1).build(),
            ConvGeometry.builder().input(8, 8, 130).output(6, 6, 17).kernel(3, 3).dilation(1, 1).build(),
            // Whole channel vectors: the cache-blocked kernel (3 blocks, 3 chunks of taps, slices of 3, 3 and 1 vectors).
            ConvGeometry.builder().input(11, 13, 40).output(11, 13, 112).kernel(3, 3).padding(1, 1, 1, 1).build(),
            ConvGeometry.builder().input(9, 9, 64).output(5, 5, 64).kernel(3, 3).stride(2, 2).padding(1, 1, 1, 1).groups(2).build(),
            ConvGeometry.builder().input(1, 2, 20).output(1, 2, 16).kernel(1, 1).build(),
            ConvGeometry.builder().input(1, 1, 300).output(1, 1, 32).kernel(1, 1).build(),
        };
        for (ConvGeometry g : shapes) {
            int groupIn = g.inputC / g.groups;
            int groupOut = g.outputC / g.groups;
            float[] w = randomFloats(r, g.outputC * g.kernelH * g.kernelW * groupIn);
            float[] bias = randomFloats(r, g.outputC);
            float[] x = randomFloats(r, g.inputSize());
            float[] actual = run(FloatKernels.conv2D(g, w, bias, 0f, 6f, VECTOR), x, g.outputSize(), r);
            for (int oy = 0; oy < g.outputH; oy++) {
                for (int ox = 0; ox < g.outputW; ox++) {
                    for (int oc = 0; oc < g.outputC; oc++) {
                        float acc = bias[oc];
                        for (int ky = 0; ky < g.kernelH; ky++) {
                            int iy = oy * g.strideH - g.padTop + ky * g.dilationH;
                            for (int kx = 0; kx < g.kernelW; kx++) {
                                int ix = ox * g.strideW - g.padLeft + kx * g.dilationW;
                                boolean inside = iy >= 0 && iy < g.inputH && ix >= 0 && ix < g.inputW;
                                for (int ic = 0; ic < groupIn; ic++) {
                                    float xi = inside ? x[(iy * g.inputW + ix) * g.inputC + (oc / groupOut) * groupIn + ic] : 0f;
                                    acc = Math.fma(xi, w[((oc * g.kernelH + ky) * g.kernelW + kx) * groupIn + ic], acc);
                                }
                            }
                        }
                        float expected = Math.min(Math.max(acc, 0f), 6f);
                        int i = (oy * g.outputW + ox) * g.outputC + oc;
                        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual[i]),
                                () -> g + ": output " + i + " expected " + expected + ", got " + actual[i]);
                    }
                }
            }
        }
    }

    @Test
    void fullyConnectedMatchesTheReferenceWithinTheRoundingBound() {
        assumeTrue(VectorSupport.available(), "no jdk.incubator.vector: only the reference runs");
        Random r = new Random(20261203L);
        double worst = 0;
        for (int i = 0; i < CONFIGS; i++) {
            int inputs = 1 + (r.nextBoolean() ? r.nextInt(40) : r.nextInt(1500));
            int all = 1 + (r.nextBoolean() ? r.nextInt(20) : r.nextInt(200));
            int from = r.nextInt(3) == 0 ? r.nextInt(all) : 0;
            int outputs = 1 + r.nextInt(all - from);
            float[] w = randomFloats(r, inputs * all);
            float[] bias = r.nextInt(4) == 0 ? null : randomFloats(r, all);
            float[] x = randomFloats(r, inputs);
            float[] act = randomActivation(r);
            float[] expected = run(FloatKernels.fullyConnected(inputs, outputs, from, w, bias, act[0], act[1],
                    Int8Kernels.Implementation.REFERENCE), x, outputs, r);
            float[] actual = run(FloatKernels.fullyConnected(inputs, outputs, from, w, bias, act[0], act[1], VECTOR), x, outputs, r);
            double[] magnitude = new double[outputs];
            for (int o = 0; o < outputs; o++) {
                double m = bias == null ? 0 : Math.abs(bias[from + o]);
                for (int k = 0; k < inputs; k++) {
                    m += Math.abs((double) w[(from + o) * inputs + k] * x[k]);
                }
                magnitude[o] = m;
            }
            worst = Math.max(worst, check("fully connected " + inputs + " -> " + outputs + " of " + all + " from " + from,
                    expected, actual, magnitude, inputs));
        }
        System.out.printf("float fully connected: %d random configs, fast within %.3f of the rounding bound%n", CONFIGS, worst);
    }

    /** Asserts each output within the bound; returns the largest |difference| / bound seen. */
    private static double check(String what, float[] expected, float[] actual, double[] magnitude, int taps) {
        int n = taps + 1;
        double gamma = n * U / (1 - n * U);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double bound = 2 * gamma * magnitude[i] + Float.MIN_NORMAL;
            double diff = Math.abs((double) expected[i] - actual[i]);
            assertTrue(diff <= bound, what + ": output " + i + " fast " + actual[i] + " reference " + expected[i]
                    + " differ by " + diff + " > bound " + bound);
            worst = Math.max(worst, diff / bound);
        }
        return worst;
    }

    /** Sum of |bias| and |w * x| over the taps inside the input, per output value. */
    private static double[] convMagnitudes(ConvGeometry g, float[] x, float[] w, float[] bias) {
        int groupIn = g.inputC / g.groups;
        int groupOut = g.outputC / g.groups;
        double[] m = new double[g.outputSize()];
        for (int oy = 0; oy < g.outputH; oy++) {
            for (int ox = 0; ox < g.outputW; ox++) {
                for (int oc = 0; oc < g.outputC; oc++) {
                    double s = bias == null ? 0 : Math.abs(bias[oc]);
                    for (int ky = 0; ky < g.kernelH; ky++) {
                        int iy = oy * g.strideH - g.padTop + ky * g.dilationH;
                        for (int kx = 0; kx < g.kernelW; kx++) {
                            int ix = ox * g.strideW - g.padLeft + kx * g.dilationW;
                            if (iy < 0 || iy >= g.inputH || ix < 0 || ix >= g.inputW) {
                                continue;
                            }
                            for (int ic = 0; ic < groupIn; ic++) {
                                s += Math.abs((double) x[(iy * g.inputW + ix) * g.inputC + (oc / groupOut) * groupIn + ic]
                                        * w[((oc * g.kernelH + ky) * g.kernelW + kx) * groupIn + ic]);
                            }
                        }
                    }
                    m[(oy * g.outputW + ox) * g.outputC + oc] = s;
                }
            }
        }
        return m;
    }

    /** Runs a kernel with its input and output at offsets and garbage in the scratch and around the output. */
    private static float[] run(FloatKernel k, float[] x, int outputSize, Random r) {
        float[] in = new float[x.length + 3];
        System.arraycopy(x, 0, in, 3, x.length);
        float[] out = new float[outputSize + 4];
        Arrays.fill(out, Float.NaN);
        float[] scratch = new float[k.scratchFloats() + 5];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = Float.intBitsToFloat(r.nextInt());
        }
        k.eval(in, 3, out, 2, scratch, 5);
        assertTrue(Float.isNaN(out[0]) && Float.isNaN(out[1]) && Float.isNaN(out[outputSize + 2]) && Float.isNaN(out[outputSize + 3]),
                "wrote outside the output");
        return Arrays.copyOfRange(out, 2, 2 + outputSize);
    }

    private static ConvGeometry randomConv(Random r) {
        int groups = r.nextInt(4) == 0 ? 2 + r.nextInt(3) : 1;
        int inH = 1 + r.nextInt(12);
        int inW = 1 + r.nextInt(12);
        int inC = groups * (1 + (r.nextInt(4) == 0 ? r.nextInt(40) : r.nextInt(8)));
        // A third of them with whole channel vectors per group, which the vector kernel blocks.
        int outC = groups * (r.nextInt(3) == 0 ? 16 * (1 + r.nextInt(7)) : 1 + (r.nextInt(4) == 0 ? r.nextInt(50) : r.nextInt(12)));
        int fh = 1 + r.nextInt(5);
        int fw = r.nextInt(3) == 0 ? fh : 1 + r.nextInt(5);
        int sh = 1 + r.nextInt(3);
        int sw = r.nextInt(2) == 0 ? sh : 1 + r.nextInt(3);
        int dh = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 1;
        int dw = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 1;
        int pt = r.nextInt(4), pl = r.nextInt(4), pb = r.nextInt(4), pr = r.nextInt(4);
        int outH = ConvGeometry.outputSize(inH, fh, sh, dh, pt, pb, false);
        int outW = ConvGeometry.outputSize(inW, fw, sw, dw, pl, pr, false);
        if (outH < 1 || outW < 1) {
            return null;
        }
        return ConvGeometry.builder().input(inH, inW, inC).output(outH, outW, outC).kernel(fh, fw).stride(sh, sw)
                .dilation(dh, dw).padding(pt, pl, pb, pr).groups(groups).build();
    }

    private static float[] randomFloats(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * Math.exp(r.nextInt(5) - 2));
        }
        return a;
    }

    private static float[] randomActivation(Random r) {
        switch (r.nextInt(3)) {
            case 0: return new float[] {0f, 6f};
            case 1: return new float[] {0f, Float.POSITIVE_INFINITY};
            default: return new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        }
    }
}
