package dev.edgeq.runtime.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.edgeq.runtime.kernels.ChannelBroadcast;
import dev.edgeq.runtime.kernels.float32.BinaryFloat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mul, Add and Sub of two activations with a per-channel gate: values worked by hand from TFLite's
 * formulas, and the table kernel bit-exact with the reference on random configurations.
 */
class BinaryOpsTest {

    @Test
    void mulWorkedValues() {
        // x1 = 0.5 * (q - 2), x2 = 0.25 * q, out scale 0.125 zp -3: real multiplier 0.5*0.25/0.125 = 1.
        MulParams p = MulParams.fromScales(0.5f, 2, 0.25f, 0, 0.125f, -3, -128, 127);
        assertEquals(1 << 30, p.multiplier);
        assertEquals(1, p.shift);
        assertEquals(6 * 4 - 3, p.apply(8, 4));       // 3.0 * 1.0 = 3.0 -> 24 - 3
        assertEquals(-6 * 4 - 3, p.apply(-4, 4));     // -3.0 * 1.0
        assertEquals(127, p.apply(100, 100));         // saturates
        // multiplier 1/3: the product rounds half away from zero: 5 * 1 / 3 = 1.67 -> 2; -5 / 3 -> -2.
        MulParams third = MulParams.fromScales(1f, 0, 1f, 0, 3f, 0, -128, 127);
        assertEquals(2, third.apply(5, 1));
        assertEquals(-2, third.apply(-5, 1));
        // fused ReLU: output clamp at the zero point
        assertEquals(-3, MulParams.fromScales(0.5f, 2, 0.25f, 0, 0.125f, -3, -3, 127).apply(-4, 4));
    }

    @Test
    void subWorkedValues() {
        // x1 = 0.5 * (q - 10), x2 = 0.25 * (q + 4), out 0.5 zp -1: 5 - 3 = 2 -> 4 - 1 = 3.
        AddParams p = AddParams.subFromScales(0.5f, 10, 0.25f, -4, 0.5f, -1, -128, 127);
        assertEquals(3, p.apply(20, 8));
        assertEquals(-1 - 16, p.apply(10, 28)); // 0 - 8 = -8 -> -16 - 1
        assertEquals(-AddParams.fromScales(0.5f, 10, 0.25f, -4, 0.5f, -1, -128, 127).input2Multiplier, p.input2Multiplier);
    }

    @Test
    void squeezeExcitationGateBroadcastsOverPixels() {
        MulParams p = MulParams.fromScales(1f, 0, 0.5f, 0, 1f, 0, -128, 127);
        byte[] x = {10, 20, 30, 40, 50, 60}; // 3 pixels x 2 channels
        byte[] gate = {2, 4};                // 1.0, 2.0
        byte[] expected = {10, 40, 30, 80, 50, 120};
        ChannelBroadcast gateSecond = ChannelBroadcast.gate(3, 2, false);
        byte[] out = new byte[6];
        BroadcastBinaryReference.eval(p, gateSecond, x, 0, gate, 0, out, 0);
        assertArrayEquals(expected, out);
        byte[] fast = new byte[6];
        BroadcastBinaryFast.prepare(p).eval(gateSecond, x, 0, gate, 0, fast, 0);
        assertArrayEquals(expected, fast);
        // gate as the first input (x0 - x1 is not symmetric: check Sub with the gate first too)
        MulParams swapped = MulParams.fromScales(0.5f, 0, 1f, 0, 1f, 0, -128, 127);
        BroadcastBinaryFast.prepare(swapped).eval(ChannelBroadcast.gate(3, 2, true), gate, 0, x, 0, fast, 0);
        assertArrayEquals(expected, fast);
        AddParams sub = AddParams.subFromScales(1f, 0, 1f, 0, 1f, 0, -128, 127);
        BroadcastBinaryReference.eval(sub, ChannelBroadcast.gate(3, 2, true), gate, 0, x, 0, out, 0);
        assertArrayEquals(new byte[] {-8, -16, -28, -36, -48, -56}, out);
    }

    @Test
    void floatKernelBroadcastsTheGate() {
        float[] out = new float[4];
        BinaryFloat.eval(BinaryFloat.Op.SUB, ChannelBroadcast.gate(2, 2, false), new float[] {1, 2, 3, 4}, 0,
                new float[] {10, 20}, 0, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, out, 0);
        assertArrayEquals(new float[] {-9, -18, -7, -16}, out);
        BinaryFloat.eval(BinaryFloat.Op.MUL, ChannelBroadcast.gate(2, 2, true), new float[] {10, 20}, 0,
                new float[] {1, 2, 3, 4}, 0, 0f, 50f, out, 0);
        assertArrayEquals(new float[] {10, 40, 30, 50}, out);
    }

    @Test
    void fastMatchesTheReferenceOnRandomConfigurations() {
        Random r = new Random(RandomConfigTest.SEED + 22);
        int configs = Math.max(1, RandomConfigTest.CONFIGS / 10); // each builds a 64K table
        for (int i = 0; i < configs; i++) {
            float s1 = (float) Math.exp(r.nextDouble() * 6 - 5);
            float s2 = (float) (s1 * Math.exp(r.nextDouble() * 4 - 2));
            int[] act = RandomConfigTest.randomActivation(r);
            int z1 = r.nextInt(256) - 128;
            int z2 = r.nextInt(256) - 128;
            int zo = r.nextInt(256) - 128;
            ElementPairFunction f;
            switch (r.nextInt(3)) {
                case 0:
                    f = MulParams.fromScales(s1, z1, s2, z2, (float) (s1 * s2 * Math.exp(r.nextDouble() * 8 - 2)), zo, act[0], act[1]);
                    break;
                case 1:
                    f = AddParams.fromScales(s1, z1, s2, z2, (float) (Math.max(s1, s2) * Math.exp(r.nextDouble() * 3 - 1)), zo,
                            act[0], act[1]);
                    break;
                default:
                    f = AddParams.subFromScales(s1, z1, s2, z2, (float) (Math.max(s1, s2) * Math.exp(r.nextDouble() * 3 - 1)), zo,
                            act[0], act[1]);
            }
            int pixels = 1 + r.nextInt(50);
            int channels = 1 + r.nextInt(40);
            ChannelBroadcast s = r.nextInt(3) == 0 ? ChannelBroadcast.sameShape(pixels, channels)
                    : ChannelBroadcast.gate(pixels, channels, r.nextBoolean());
            byte[] a = RandomConfigTest.randomBytes(r, s.input1Size() + 2);
            byte[] b = RandomConfigTest.randomBytes(r, s.input2Size() + 3);
            byte[] expected = new byte[s.outputSize() + 1];
            byte[] actual = new byte[s.outputSize() + 1];
            BroadcastBinaryReference.eval(f, s, a, 2, b, 3, expected, 1);
            BroadcastBinaryFast.prepare(f).eval(s, a, 2, b, 3, actual, 1);
            assertArrayEquals(expected, actual, "configuration " + i + ": " + f + ", " + s);
        }
    }
}
