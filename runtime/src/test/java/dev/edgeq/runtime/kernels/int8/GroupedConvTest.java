package dev.edgeq.runtime.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.edgeq.runtime.kernels.ChannelCopy;
import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.float32.Conv2DFloat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Grouped convolution: a worked case, the reference equal to one ordinary convolution per group on
 * that group's channels, and the fast kernels bit-exact with the reference on random configurations.
 */
class GroupedConvTest {

    @Test
    void eachOutputChannelReadsItsGroup() {
        // 1x1 conv, 4 input channels, 2 groups, 2 output channels: out0 = w0 . in[0..2), out1 = w1 . in[2..4).
        ConvParams p = ConvParams.builder().input(1, 1, 1, 4).output(1, 1, 2).kernel(1, 1).groups(2)
                .perTensor(1 << 30, 1).build(); // multiplier 1
        assertEquals(4, p.geometry.convFilterSize());
        assertEquals(4, p.geometry.convMacs());
        byte[] filter = {1, 2, 3, -1};
        byte[] in = {10, 20, 30, 40};
        byte[] expected = {10 + 40, 90 - 40};
        for (Int8Kernels.Implementation impl : KernelHarness.implementations()) {
            assertArrayEquals(expected, KernelHarness.run(Int8Kernels.conv2D(p, filter, 0, null, 0, impl), in, 2, 5), impl.name());
        }
        float[] out = new float[2];
        ConvGeometry g = ConvGeometry.builder().input(1, 1, 4).output(1, 1, 2).kernel(1, 1).groups(2).build();
        Conv2DFloat.conv(g, new float[] {10, 20, 30, 40}, 0, new float[] {1, 2, 3, -1}, null,
                Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, out, 0);
        assertArrayEquals(new float[] {50, 50}, out);
    }

    @Test
    void groupsMustDivideTheChannels() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvParams.builder()
                .input(1, 1, 1, 6).output(1, 1, 4).kernel(1, 1).groups(4).perTensor(1 << 30, 0).build());
        assertEquals("conv groups 4 do not divide input channels 6 and output channels 4", e.getMessage());
    }

    @Test
    void referenceIsOneOrdinaryConvolutionPerGroup() {
        Random r = new Random(RandomConfigTest.SEED + 25);
        for (int i = 0; i < RandomConfigTest.CONFIGS / 10; i++) {
            ConvParams p = randomGrouped(r);
            if (p == null) {
                continue;
            }
            byte[] filter = RandomConfigTest.randomWeights(r, p.geometry.convFilterSize());
            int[] bias = RandomConfigTest.randomBias(r, p.geometry.outputC);
            byte[] input = RandomConfigTest.randomBytes(r, p.geometry.inputSize());
            byte[] grouped = new byte[p.geometry.outputSize()];
            Conv2DReference.eval(p, input, 0, filter, 0, bias, 0, grouped, 0);

            ConvGeometry whole = p.geometry;
            int gin = whole.groupInputChannels();
            int gout = whole.outputC / whole.groups;
            int pixelsIn = whole.inputH * whole.inputW;
            int pixelsOut = whole.outputH * whole.outputW;
            byte[] separate = new byte[whole.outputSize()];
            for (int g = 0; g < whole.groups; g++) {
                // The same window over one group's channels, as an ordinary convolution.
                ConvParams one = ConvParams.builder().geometry(whole).input(1, whole.inputH, whole.inputW, gin)
                        .output(whole.outputH, whole.outputW, gout).groups(1).offsets(p.inputOffset, p.outputOffset)
                        .activation(p.activationMin, p.activationMax)
                        .perChannel(slice(p.multipliers, g * gout, gout), slice(p.shifts, g * gout, gout)).build();
                byte[] groupIn = new byte[pixelsIn * gin];
                ChannelCopy.slice(pixelsIn, whole.inputC, g * gin, gin, input, 0, groupIn, 0);
                byte[] groupOut = new byte[pixelsOut * gout];
                Conv2DReference.eval(one, groupIn, 0, filter, g * one.geometry.convFilterSize(), bias, g * gout, groupOut, 0);
                ChannelCopy.place(pixelsOut, whole.outputC, g * gout, gout, groupOut, 0, separate, 0);
            }
            assertArrayEquals(separate, grouped, "configuration " + i + ": " + p);
        }
    }

    @Test
    void fastMatchesTheReferenceOnRandomConfigurations() {
        Random r = new Random(RandomConfigTest.SEED + 26);
        int checked = 0;
        while (checked < RandomConfigTest.CONFIGS) {
            ConvParams p = randomGrouped(r);
            if (p == null) {
                continue;
            }
            byte[] filter = RandomConfigTest.randomWeights(r, p.geometry.convFilterSize());
            int[] bias = r.nextInt(4) == 0 ? null : RandomConfigTest.randomBias(r, p.geometry.outputC);
            byte[] input = RandomConfigTest.randomBytes(r, p.geometry.inputSize());
            long seed = r.nextLong();
            byte[] expected = KernelHarness.run(Int8Kernels.conv2D(p, filter, 0, bias, 0, Int8Kernels.Implementation.REFERENCE),
                    input, p.geometry.outputSize(), seed);
            for (Int8Kernels.Implementation impl : KernelHarness.fastImplementations()) {
                byte[] actual = KernelHarness.run(Int8Kernels.conv2D(p, filter, 0, bias, 0, impl), input, p.geometry.outputSize(), seed);
                assertArrayEquals(expected, actual, impl + " configuration " + checked + ": " + p + ", bias " + (bias != null));
            }
            checked++;
        }
    }

    private static int[] slice(int[] a, int from, int n) {
        return java.util.Arrays.copyOfRange(a, from, from + n);
    }

    /** A random grouped conv configuration (groups 2..8), or null when the drawn geometry is impossible. */
    private static ConvParams randomGrouped(Random r) {
        int groups = 2 + r.nextInt(7);
        int gin = 1 + r.nextInt(6);
        int gout = 1 + r.nextInt(6);
        int inH = 1 + r.nextInt(9);
        int inW = 1 + r.nextInt(9);
        int fh = 1 + r.nextInt(3);
        int fw = r.nextBoolean() ? fh : 1 + r.nextInt(3);
        int sh = 1 + r.nextInt(2);
        int sw = 1 + r.nextInt(2);
        int dh = r.nextInt(4) == 0 ? 2 : 1;
        int dw = r.nextInt(4) == 0 ? 2 : 1;
        int pt = r.nextInt(2), pl = r.nextInt(2), pb = r.nextInt(2), pr = r.nextInt(2);
        int spanH = inH + pt + pb - (dh * (fh - 1) + 1);
        int spanW = inW + pl + pr - (dw * (fw - 1) + 1);
        if (spanH < 0 || spanW < 0) {
            return null;
        }
        int outC = groups * gout;
        int[] m = new int[outC];
        int[] s = new int[outC];
        RandomConfigTest.randomRequant(r, fh * fw * gin, m, s);
        int[] act = RandomConfigTest.randomActivation(r);
        return ConvParams.builder().input(1, inH, inW, groups * gin).output(spanH / sh + 1, spanW / sw + 1, outC)
                .kernel(fh, fw).stride(sh, sw).dilation(dh, dw).padding(pt, pl, pb, pr).groups(groups)
                .offsets(r.nextInt(256) - 127, r.nextInt(256) - 128).activation(act[0], act[1]).perChannel(m, s).build();
    }
}
