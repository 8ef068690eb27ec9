package dev.edgeq.runtime.kernels.float32;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeq.runtime.kernels.ChannelBroadcast;
import dev.edgeq.runtime.kernels.int8.VectorSupport;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code BinaryFloatVector} against {@link BinaryFloat}, bit for bit ({@link Float#floatToIntBits}:
 * all NaNs count as one): Add, Sub and Mul, same shapes and a per-channel gate on either side,
 * channel counts on both sides of the vector width, inputs with NaN, infinities and both zeros,
 * and the fused clamps; nothing written outside the output.
 */
class BinaryFloatVectorTest {
    private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, -1f};
    private static final float[][] CLAMPS = {
        {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, {0f, Float.POSITIVE_INFINITY}, {0f, 6f}, {-1f, 1f}};

    @Test
    void equalsTheScalarKernelBitForBit() {
        assumeTrue(VectorSupport.available(), "no jdk.incubator.vector: only the scalar kernel runs");
        Random r = new Random(20261203L);
        for (int n = 0; n < 1500; n++) {
            int pixels = 1 + r.nextInt(r.nextBoolean() ? 4 : 60);
            int channels = 1 + r.nextInt(r.nextBoolean() ? 20 : 100);
            int shape = r.nextInt(3);
            ChannelBroadcast s = shape == 0 ? ChannelBroadcast.sameShape(pixels, channels)
                    : ChannelBroadcast.gate(pixels, channels, shape == 1);
            BinaryFloat.Op op = BinaryFloat.Op.values()[r.nextInt(3)];
            float[] clamp = CLAMPS[r.nextInt(CLAMPS.length)];
            float[] a = values(r, s.input1Size() + 2);
            float[] b = values(r, s.input2Size() + 5);
            float[] expected = new float[s.outputSize() + 3];
            float[] actual = new float[s.outputSize() + 3];
            Arrays.fill(expected, 42f);
            Arrays.fill(actual, 42f);
            BinaryFloat.eval(op, s, a, 2, b, 5, clamp[0], clamp[1], expected, 1);
            VectorSupport.factory().binaryFloat(op, s, a, 2, b, 5, clamp[0], clamp[1], actual, 1);
            for (int i = 0; i < expected.length; i++) {
                if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                    throw new AssertionError(op + " " + s + " clamp " + Arrays.toString(clamp) + ": element " + i
                            + " expected " + expected[i] + ", got " + actual[i]);
                }
            }
        }
    }

    private static float[] values(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(8) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (float) (r.nextGaussian() * 3);
        }
        return v;
    }
}
