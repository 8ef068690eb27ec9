package dev.edgeq.runtime.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Mean over H and W: TFLite Mean's rounding worked by hand, and the fast kernel against the reference. */
class MeanTest {

    @Test
    void roundingWorkedByHand() {
        // 2x2 pixels, 4 channels; equal scales (multiplier 1): (sum +- 2) / 4 truncated.
        MeanParams p = MeanParams.fromScales(2, 2, 4, 0.1f, 0, 0.1f, 0);
        byte[] in = {
            1, -1, 1, -1,
            2, -2, 1, -1,
            3, -3, 0, 0,
            5, -5, 0, 0};
        // ch0 11/4 = 2.75 -> 3; ch1 -> -3; ch2 2/4 = 0.5 -> 1 (half away from zero); ch3 -> -1.
        byte[] expected = {3, -3, 1, -1};
        assertArrayEquals(expected, KernelHarness.run(Int8Kernels.mean(p, Int8Kernels.Implementation.REFERENCE), in, 4, 1));
        assertArrayEquals(expected, KernelHarness.run(Int8Kernels.mean(p, Int8Kernels.Implementation.SCALAR), in, 4, 1));
    }

    @Test
    void rescaleComesBeforeTheDivision() {
        // input scale 0.5 zp 3, output scale 0.25 zp -2: multiplier 2. Inputs {5,5,5,6}: sum(x - 3) = 9,
        // * 2 = 18, (18 + 2) / 4 = 5, - 2 = 3 (real mean 1.125 = 4.5 output steps, rounded away from zero).
        MeanParams p = MeanParams.fromScales(1, 4, 1, 0.5f, 3, 0.25f, -2);
        byte[] out = new byte[1];
        MeanReference.eval(p, new byte[] {5, 5, 5, 6}, 0, out, 0);
        assertArrayEquals(new byte[] {3}, out);
    }

    @Test
    void overflowingConfigurationIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MeanParams.fromScales(200, 200, 1, 1f, 0, 1e-4f, 0));
        assertTrue(e.getMessage().contains("overflow"), e.getMessage());
    }

    @Test
    void fastKernelsMatchTheReferenceOnRandomConfigurations() {
        Random r = new Random(RandomConfigTest.SEED + 23);
        for (int i = 0; i < RandomConfigTest.CONFIGS; i++) {
            int h = 1 + r.nextInt(16);
            int w = 1 + r.nextInt(16);
            int c = 1 + (r.nextBoolean() ? r.nextInt(48) : r.nextInt(700));
            float inScale = (float) Math.exp(r.nextDouble() * 6 - 6);
            MeanParams p = MeanParams.fromScales(h, w, c, inScale, r.nextInt(256) - 128,
                    (float) (inScale * Math.exp(r.nextDouble() * 3 - 1.5)), r.nextInt(256) - 128);
            byte[] in = RandomConfigTest.randomBytes(r, p.inputSize());
            long seed = r.nextLong();
            byte[] expected = KernelHarness.run(Int8Kernels.mean(p, Int8Kernels.Implementation.REFERENCE), in, c, seed);
            for (Int8Kernels.Implementation impl : KernelHarness.fastImplementations()) {
                byte[] actual = KernelHarness.run(Int8Kernels.mean(p, impl), in, c, seed);
                assertArrayEquals(expected, actual, impl + ", configuration " + i + ": " + p);
            }
        }
    }
}
