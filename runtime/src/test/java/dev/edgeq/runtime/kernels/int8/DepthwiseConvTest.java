package dev.edgeq.runtime.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The int8 depthwise kernels on the shapes real models use, next to {@link RandomConfigTest}'s small
 * random ones: MobileNet-style 3x3 and 5x5 layers at strides 1 and 2, channel counts that are and are
 * not whole vectors (4, 8 and 16 int lanes), depth multipliers, dilation, asymmetric padding, and the
 * largest sums the float-exact kernel must still get exactly. Every fast kernel bit-exact with the reference.
 */
class DepthwiseConvTest {

    /** h, w, channels, multiplier, filter, stride, dilation, pad top, left, bottom, right. */
    private static final int[][] SHAPES = {
        {112, 112, 32, 1, 3, 1, 1, 1, 1, 1, 1},   // MobileNetV2 block 1
        {57, 57, 96, 1, 3, 2, 1, 0, 0, 1, 1},     // stride 2 with TF-style "same" padding (bottom/right)
        {28, 28, 144, 1, 3, 2, 1, 1, 1, 1, 1},    // stride 2, symmetric padding
        {14, 14, 960 / 8 + 3, 1, 3, 1, 1, 1, 1, 1, 1}, // 123 channels: a partial last vector at every width
        {15, 13, 17, 1, 5, 1, 1, 2, 2, 2, 2},     // 5x5 (EfficientNet, MnasNet)
        {16, 16, 40, 1, 5, 2, 1, 1, 2, 2, 1},     // 5x5 stride 2, asymmetric padding
        {20, 18, 7, 1, 3, 1, 2, 2, 2, 2, 2},      // dilation 2 (DeepLab-style)
        {9, 11, 5, 3, 3, 1, 1, 1, 1, 1, 1},       // depth multiplier 3
        {10, 10, 8, 2, 3, 2, 1, 1, 1, 1, 1},      // depth multiplier 2, stride 2
        {7, 7, 1, 1, 7, 1, 1, 3, 3, 3, 3},        // one channel
        {4, 3, 33, 1, 3, 1, 1, 0, 0, 0, 0},       // no padding, input barely larger than the filter
        {13, 13, 6, 1, 13, 1, 1, 6, 6, 6, 6},     // 169 positions: past the float-exact limit, scalar fallback
    };

    @Test
    void modelShapesAreBitExactWithTheReference() {
        Random r = new Random(RandomConfigTest.SEED + 40);
        for (int[] s : SHAPES) {
            ConvParams p = params(r, s);
            byte[] filter = RandomConfigTest.randomWeights(r, p.geometry.depthwiseFilterSize());
            int[] bias = RandomConfigTest.randomBias(r, p.geometry.outputC);
            byte[] input = RandomConfigTest.randomBytes(r, p.geometry.inputSize());
            assertFastEqualsReference(p, filter, bias, input, Arrays.toString(s));
        }
    }

    @Test
    void largestSumsStayExact() {
        // 11x11 = 121 positions (the float-exact limit is 128), every product at its largest magnitude
        // 128 * 255 = 32640: sums of 3.9 million, still exact integers in float32.
        int c = 19;
        int f = 11;
        int[] mult = new int[c];
        int[] shift = new int[c];
        Arrays.fill(mult, 1 << 30);
        Arrays.fill(shift, -15); // y = acc / 2^16: about +-60, no saturation hides an error
        ConvParams p = ConvParams.builder().input(1, f, f, c).output(1, 1, c).kernel(f, f).offsets(-127, 0)
                .perChannel(mult, shift).build();
        byte[] filter = new byte[p.geometry.depthwiseFilterSize()];
        byte[] input = new byte[p.geometry.inputSize()];
        for (int i = 0; i < filter.length; i++) {
            filter[i] = (byte) (i % c % 2 == 0 ? -128 : 127); // one sign per channel: nothing cancels
        }
        Arrays.fill(input, (byte) -128); // -128 + offset -127 = -255
        byte[] expected = assertFastEqualsReference(p, filter, null, input, "11x11 extremes");
        int outputs = 0;
        for (byte e : expected) {
            outputs += Math.abs(e) > 55 ? 1 : 0;
        }
        assertEquals(c, outputs, "every output near +-60: " + Arrays.toString(expected));
    }

    @Test
    void vectorFamilyUsesTheFloatExactKernelUpToItsLimit() {
        if (!VectorSupport.available()) {
            return;
        }
        Random r = new Random(1);
        assertEquals("DepthwiseConv2DFloatExact", kernel(params(r, SHAPES[0])).getClass().getSimpleName());
        assertEquals("DepthwiseConv2DFloatExact", kernel(params(r, SHAPES[7])).getClass().getSimpleName());
        assertEquals("DepthwiseConv2DFast", kernel(params(r, SHAPES[SHAPES.length - 1])).getClass().getSimpleName());
    }

    private static Int8Kernel kernel(ConvParams p) {
        return Int8Kernels.depthwiseConv2D(p, new byte[p.geometry.depthwiseFilterSize()], 0, null, 0, Int8Kernels.Implementation.VECTOR);
    }

    private static ConvParams params(Random r, int[] s) {
        int h = s[0], w = s[1], c = s[2], m = s[3], f = s[4], stride = s[5], d = s[6];
        int outH = (h + s[7] + s[9] - (d * (f - 1) + 1)) / stride + 1;
        int outW = (w + s[8] + s[10] - (d * (f - 1) + 1)) / stride + 1;
        int[] mult = new int[c * m];
        int[] shift = new int[c * m];
        RandomConfigTest.randomRequant(r, f * f, mult, shift);
        return ConvParams.builder().input(1, h, w, c).output(outH, outW, c * m).kernel(f, f).stride(stride, stride)
                .dilation(d, d).padding(s[7], s[8], s[9], s[10]).depthMultiplier(m)
                .offsets(r.nextInt(256) - 127, r.nextInt(256) - 128).activation(-128, 127).perChannel(mult, shift).build();
    }

    private static byte[] assertFastEqualsReference(ConvParams p, byte[] filter, int[] bias, byte[] input, String what) {
        byte[] expected = KernelHarness.run(Int8Kernels.depthwiseConv2D(p, filter, 0, bias, 0, Int8Kernels.Implementation.REFERENCE),
                input, p.geometry.outputSize(), 3);
        int distinct = (int) java.util.stream.IntStream.range(0, expected.length).map(i -> expected[i]).distinct().count();
        assertTrue(distinct > 8 || expected.length < 64, what + ": outputs nearly constant, the comparison would prove little");
        for (Int8Kernels.Implementation impl : KernelHarness.fastImplementations()) {
            byte[] actual = KernelHarness.run(Int8Kernels.depthwiseConv2D(p, filter, 0, bias, 0, impl), input, p.geometry.outputSize(), 3);
            assertArrayEquals(expected, actual, impl + " " + what + " " + p);
        }
        return expected;
    }
}
