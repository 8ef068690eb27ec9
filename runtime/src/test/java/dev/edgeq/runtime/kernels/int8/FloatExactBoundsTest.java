package dev.edgeq.runtime.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The int8 conv and fully connected kernels that accumulate in float ({@link Conv2DFloatExact},
 * {@link FullyConnectedFloatExact}) at the edge of their exactness argument: every product at its
 * largest magnitude (weight -128 or an offset weight of 255, offset input 255), dot products longer
 * than one float chunk (so the chunking must carry), and a bias that cancels the sum so that an
 * accumulator off by one shows in an unsaturated output. Bit-exact against the reference for every
 * fast family.
 */
class FloatExactBoundsTest {

    /**
     * Channel 0: every weight -127 (an odd product with 255, so a float sum past 2^24 must round;
     * -128 * 255 = -255 * 2^7 would stay exact much longer); channel 1: every weight -128 (the
     * largest product); the others: random extremes (-128 or 127).
     */
    private static byte[] extremeWeights(Random r, int outputs, int depth) {
        byte[] w = new byte[outputs * depth];
        for (int i = 0; i < w.length; i++) {
            w[i] = i < depth ? -127 : i < 2 * depth ? -128 : (byte) (r.nextBoolean() ? -128 : 127);
        }
        return w;
    }

    /** Bias making channel o's sum over a constant input {@code x} (offset applied) land near 0. */
    private static int[] cancellingBias(Random r, byte[] w, int outputs, int depth, int x) {
        int[] bias = new int[outputs];
        for (int o = 0; o < outputs; o++) {
            long sum = 0;
            for (int i = 0; i < depth; i++) {
                sum += (long) w[o * depth + i] * x;
            }
            bias[o] = (int) -sum + r.nextInt(101) - 50;
        }
        return bias;
    }

    @Test
    void conv2DWithExtremeProductsAndLongDotProducts() {
        Random r = new Random(RandomConfigTest.SEED + 40);
        int[][] shapes = { // filter h, w, input channels (taps = h * w * c), output channels
            {1, 1, 513, 5}, {3, 3, 64, 19}, {1, 1, 1100, 33}, {5, 5, 41, 16}, {3, 3, 200, 3}};
        for (int[] s : shapes) {
            int taps = s[0] * s[1] * s[2];
            int outC = s[3];
            ConvParams p = ConvParams.builder().input(1, s[0] + 2, s[1] + 1, s[2]).output(3, 2, outC).kernel(s[0], s[1])
                    .offsets(128, 0).perTensor(1 << 30, 0).build();
            byte[] filter = extremeWeights(r, outC, taps);
            byte[] input = new byte[p.geometry.inputSize()];
            Arrays.fill(input, (byte) 127); // 127 + 128 = 255
            int[] bias = cancellingBias(r, filter, outC, taps, 255);
            byte[] expected = KernelHarness.run(Int8Kernels.conv2D(p, filter, 0, bias, 0, Int8Kernels.Implementation.REFERENCE),
                    input, p.geometry.outputSize(), 1);
            assertUnsaturated(expected, "conv " + Arrays.toString(s));
            for (Int8Kernels.Implementation impl : KernelHarness.fastImplementations()) {
                byte[] actual = KernelHarness.run(Int8Kernels.conv2D(p, filter, 0, bias, 0, impl), input, p.geometry.outputSize(), 1);
                assertArrayEquals(expected, actual, impl + " conv " + Arrays.toString(s) + " (" + taps + " taps)");
            }
        }
    }

    @Test
    void fullyConnectedWithExtremeProductsAndLongRows() {
        Random r = new Random(RandomConfigTest.SEED + 41);
        int[][] shapes = {{513, 7}, {1100, 40}, {300, 17}, {2048, 3}}; // input depth, outputs
        for (int[] s : shapes) {
            int depth = s[0];
            int outputs = s[1];
            for (int filterOffset : new int[] {0, -127, 128}) {
                // Offset weights -128 + 0, or 127 + 128 = 255 and -128 - 127 = -255: the largest magnitudes.
                byte[] filter = extremeWeights(r, outputs, depth);
                int[] bias = new int[outputs];
                for (int o = 0; o < outputs; o++) {
                    long sum = 0;
                    for (int i = 0; i < depth; i++) {
                        sum += (long) (filter[o * depth + i] + filterOffset) * 255;
                    }
                    bias[o] = (int) -sum + r.nextInt(101) - 50;
                }
                FullyConnectedParams p = FullyConnectedParams.perTensor(1, depth, outputs, 128, filterOffset, 0, -128, 127,
                        1 << 30, 0);
                byte[] input = new byte[depth];
                Arrays.fill(input, (byte) 127);
                byte[] expected = KernelHarness.run(Int8Kernels.fullyConnected(p, filter, 0, bias, 0,
                        Int8Kernels.Implementation.REFERENCE), input, outputs, 1);
                assertUnsaturated(expected, "fully connected " + Arrays.toString(s));
                for (Int8Kernels.Implementation impl : KernelHarness.fastImplementations()) {
                    byte[] actual = KernelHarness.run(Int8Kernels.fullyConnected(p, filter, 0, bias, 0, impl), input, outputs, 1);
                    assertArrayEquals(expected, actual, impl + " fully connected " + Arrays.toString(s) + " filter offset " + filterOffset);
                }
            }
        }
    }

    @Test
    void chunksAreCutWhereTheActualWeightsReachTheBound() {
        // Worst case: 128 taps of -128 * 255 fit (4,177,920), a 129th would not.
        assertArrayEquals(new int[] {0, 128, 256, 300}, FmaTiles.chunkBounds(300, 2, (t, c) -> -128, 255, 10_000));
        // Weight 1: 2^22 / 255 = 16448 taps per chunk; maxTaps caps it.
        assertArrayEquals(new int[] {0, 16448, 20000}, FmaTiles.chunkBounds(20_000, 1, (t, c) -> 1, 255, 100_000));
        assertArrayEquals(new int[] {0, 7000, 14000, 20000}, FmaTiles.chunkBounds(20_000, 1, (t, c) -> 1, 255, 7000));
        // The channel that reaches the bound first decides, per chunk.
        int[] bounds = FmaTiles.chunkBounds(3000, 3, (t, c) -> c == 2 && t >= 1000 ? 100 : 2, 200, 100_000);
        assertEquals(0, bounds[0]);
        assertEquals(3000, bounds[bounds.length - 1]);
        for (int k = 0; k + 1 < bounds.length; k++) {
            long sum = 0;
            for (int t = bounds[k]; t < bounds[k + 1]; t++) {
                sum += (t >= 1000 ? 100 : 2) * 200;
            }
            assertTrue(sum <= FmaTiles.EXACT_RANGE, "chunk " + k + " adds " + sum);
            if (k + 2 < bounds.length) {
                assertTrue(sum + (bounds[k + 1] >= 1000 ? 100 : 2) * 200 > FmaTiles.EXACT_RANGE, "chunk " + k + " could be longer");
            }
        }
    }

    @Test
    void longChunksOfSmallWeightsStayExact() {
        // Small weights give chunks of thousands of taps; channel 3 turns extreme halfway, so its sums
        // decide where the later chunks are cut. A cancelling bias keeps the outputs unsaturated.
        Random r = new Random(RandomConfigTest.SEED + 43);
        int depth = 6000;
        int outC = 7;
        byte[] filter = new byte[outC * depth];
        for (int o = 0; o < outC; o++) {
            for (int t = 0; t < depth; t++) {
                filter[o * depth + t] = (byte) (o == 3 && t >= depth / 2 ? -127 : r.nextInt(7) - 3);
            }
        }
        ConvParams p = ConvParams.builder().input(1, 2, 3, depth).output(2, 3, outC).kernel(1, 1)
                .offsets(128, 0).perTensor(1 << 30, 0).build();
        byte[] input = new byte[p.geometry.inputSize()];
        Arrays.fill(input, (byte) 127);
        int[] bias = cancellingBias(r, filter, outC, depth, 255);
        byte[] expected = KernelHarness.run(Int8Kernels.conv2D(p, filter, 0, bias, 0, Int8Kernels.Implementation.REFERENCE),
                input, p.geometry.outputSize(), 1);
        assertUnsaturated(expected, "conv with small weights");
        for (Int8Kernels.Implementation impl : KernelHarness.fastImplementations()) {
            byte[] actual = KernelHarness.run(Int8Kernels.conv2D(p, filter, 0, bias, 0, impl), input, p.geometry.outputSize(), 1);
            assertArrayEquals(expected, actual, impl + " conv with small weights");
        }
    }

    @Test
    void evalAllocatesNothingOnceCompiled() {
        assumeTrue(VectorSupport.available(), "no jdk.incubator.vector");
        Random r = new Random(RandomConfigTest.SEED + 42);
        // 3x3x64 = 576 taps (five chunks), a grouped 1x1, and a fully connected row of 700 (several chunks).
        ConvParams conv = ConvParams.builder().input(1, 9, 9, 64).output(9, 9, 40).kernel(3, 3).padding(1, 1, 1, 1)
                .offsets(5, -3).perTensor(1 << 30, -12).build();
        ConvParams grouped = ConvParams.builder().input(1, 6, 6, 12).output(6, 6, 9).kernel(1, 1).groups(3)
                .offsets(5, -3).perTensor(1 << 30, -6).build();
        FullyConnectedParams fc = FullyConnectedParams.perTensor(1, 700, 30, 4, 0, 1, -128, 127, 1 << 30, -12);
        Int8Kernel[] kernels = {
            Int8Kernels.conv2D(conv, RandomConfigTest.randomWeights(r, conv.geometry.convFilterSize()), 0, null, 0, Int8Kernels.Implementation.VECTOR),
            Int8Kernels.conv2D(grouped, RandomConfigTest.randomWeights(r, grouped.geometry.convFilterSize()), 0, null, 0, Int8Kernels.Implementation.VECTOR),
            Int8Kernels.fullyConnected(fc, RandomConfigTest.randomWeights(r, 700 * 30), 0, null, 0, Int8Kernels.Implementation.VECTOR)};
        int[] inputs = {conv.geometry.inputSize(), grouped.geometry.inputSize(), 700};
        int[] outputs = {conv.geometry.outputSize(), grouped.geometry.outputSize(), 30};
        for (int k = 0; k < kernels.length; k++) {
            Int8Kernel kernel = kernels[k];
            byte[] in = RandomConfigTest.randomBytes(r, inputs[k]);
            byte[] out = new byte[outputs[k]];
            int[] scratch = new int[kernel.scratchInts()];
            float[] floatScratch = new float[kernel.scratchFloats()];
            for (int i = 0; i < 3000; i++) { // warm up: until C2 compiles the Vector API code, it allocates
                kernel.eval(in, 0, out, 0, scratch, 0, floatScratch, 0);
            }
            dev.edgeq.runtime.testing.Allocations.assertAllocatesNothing(5, () -> {
                for (int i = 0; i < 200; i++) {
                    kernel.eval(in, 0, out, 0, scratch, 0, floatScratch, 0);
                }
            }, kernel.getClass().getSimpleName() + " #" + k + ": bytes allocated over 200 runs");
        }
    }

    /** The test is only sensitive to an accumulator off by a little if outputs are not clamped. */
    private static void assertUnsaturated(byte[] out, String what) {
        for (byte b : out) {
            assertTrue(b > -128 && b < 127, what + ": output " + b + " saturated, the test would not see small errors");
        }
    }
}
