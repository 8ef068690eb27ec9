package dev.edgeq.runtime.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.runtime.kernels.float32.Activations;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The table ops (HardSigmoid, HardSwish, Sigmoid, SiLU, Tanh, PRelu): values worked by hand from
 * TFLite's formulas, and the table kernels bit-exact with the reference on random configurations.
 */
class TableOpsTest {

    @Test
    void hardSwishPrepareAsTflite() {
        // input scale 1/16: hires scale 1/2048; output multiplier (1/2048)/(1/16) = 0.5 * 2^-6;
        // reluish multiplier (1/2048)/(3/32768) = 16/3 = 0.6667 * 2^3, Q31 1431655765 -> Q15 21845.
        HardSwishParams p = HardSwishParams.fromScales(0.0625f, 0, 0.0625f, 0);
        assertEquals(16384, p.outputMultiplier);
        assertEquals(-6, p.outputShift);
        assertEquals(21845, p.reluishMultiplier);
        assertEquals(3, p.reluishShift);
    }

    @Test
    void hardSwishValuesWorkedByHand() {
        HardSwishParams p = HardSwishParams.fromScales(0.0625f, 0, 0.0625f, 0);
        // x = 16 (1.0): hires 2048; preshift (2048*16384 + 2^14) / 2^15 = 1024; reluish 2048 << 2 = 8192,
        // srdhm(8192, 21845) = 5461, << 1 = 10922, (10922 + 32768) >> 1 = 21845; sdhm(21845, 1024) = 682;
        // 682 / 2^6 rounded = 11 (real 0.6875; exact hardswish(1) = 0.667 = 10.67 LSB).
        assertEquals(11, p.apply(16));
        // x = -16 (-1.0): preshift -1024; reluish 10923; sdhm(10923, -1024) = -341; -341 / 64 -> -5.
        assertEquals(-5, p.apply(-16));
        // x = 64 (4.0): reluish saturates at 32767; sdhm(32767, 4096) = 4095; 4095 / 64 -> 64 = 4.0.
        assertEquals(64, p.apply(64));
        // x = -64 (-4.0): reluish saturates at -32768 and becomes 0: output 0.
        assertEquals(0, p.apply(-64));
        assertEquals(0, p.apply(0));
        // x = 127 (7.94): sdhm(32767, 8128) = 8127; 8127 / 64 -> 127.
        assertEquals(127, p.apply(127));
        // With zero points the same real values: input zp 10, output zp -20.
        HardSwishParams shifted = HardSwishParams.fromScales(0.0625f, 10, 0.0625f, -20);
        assertEquals(11 - 20, shifted.apply(26));
        assertEquals(-5 - 20, shifted.apply(-6));
    }

    @Test
    void hardSwishStaysWithinOneStepOfTheRealFunction() {
        HardSwishParams p = HardSwishParams.fromScales(0.05f, -3, 0.04f, -70);
        for (int x = -128; x <= 127; x++) {
            float real = 0.05f * (x + 3);
            float expected = real * Math.max(0f, Math.min(1f, real / 6f + 0.5f)) / 0.04f - 70;
            expected = Math.max(-128, Math.min(127, expected));
            int got = p.apply(x);
            assertTrue(Math.abs(got - expected) <= 1.0f, "x=" + x + ": " + got + " vs " + expected);
        }
    }

    @Test
    void hardSwishRejectsAnOutputScaleTfliteCannotRepresent() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HardSwishParams.fromScales(1f, 0, 0.001f, 0));
        assertTrue(e.getMessage().contains("output scale 0.001"), e.getMessage());
    }

    @Test
    void logisticWithTfliteOutputQuantization() {
        // Output scale 1/256, zero point -128 (TFLite's fixed Logistic output): q = round(256 * sigmoid) - 128.
        RealFunctionTable f = RealFunctionTable.of(Activations::sigmoid, 0.0625f, 0, 1f / 256, -128);
        assertEquals(0, f.apply(0));       // 0.5 * 256 = 128
        assertEquals(59, f.apply(16));     // sigmoid(1) = 0.73106 * 256 = 187.15 -> 187
        assertEquals(-59, f.apply(-16));   // 0.26894 * 256 = 68.85 -> 69
        assertEquals(127, f.apply(127));   // 0.99964 * 256 = 255.9 -> 256, clamped
        assertEquals(-128, f.apply(-128)); // 0.000335 * 256 = 0.086 -> 0
    }

    @Test
    void tanhHardSigmoidAndSiluWorkedValues() {
        RealFunctionTable tanh = RealFunctionTable.of(Activations::tanh, 0.0625f, 0, 1f / 128, 0);
        assertEquals(97, tanh.apply(16));   // tanh(1) = 0.76159 * 128 = 97.48
        assertEquals(-97, tanh.apply(-16)); // half away from zero, symmetric
        assertEquals(127, tanh.apply(80));  // tanh(5) * 128 = 127.98 -> 128, clamped
        // HardSigmoid with PyTorch's alpha 1/6: x = 1.5 -> 0.75 -> 0.75 * 256 - 128 = 64.
        RealFunctionTable hs = RealFunctionTable.hardSigmoid(1f / 6, 0.5f, 0.0625f, 0, 1f / 256, -128);
        assertEquals(64, hs.apply(24));
        assertEquals(127, hs.apply(64));    // 4.0 -> 1.0 -> 256 - 128, clamped
        assertEquals(-128, hs.apply(-64));  // -4.0 -> 0
        // SiLU(1) = 0.73106, on scale 1/32 = 23.39 -> 23; SiLU(-1) = -0.26894 -> -8.6 -> -9.
        RealFunctionTable silu = RealFunctionTable.of(Activations::silu, 0.0625f, 0, 1f / 32, 0);
        assertEquals(23, silu.apply(16));
        assertEquals(-9, silu.apply(-16));
    }

    @Test
    void preluWorkedValues() {
        // input scale 0.5 zp 0, slopes int8 {64, -32} with scale 1/128 (0.5, -0.25), output scale 0.25 zp 5.
        PReluParams p = PReluParams.fromScales(0.5f, 0, new byte[] {64, -32}, 1f / 128, 0, 0.25f, 5);
        byte[] out = new byte[4];
        PReluReference.eval(p, new byte[] {10, -10, -10, 10}, 0, out, 0, 4);
        // ch0 x=10: 5.0 -> 20 + 5; ch1 x=-10: -5.0 * -0.25 = 1.25 -> 5 + 5; ch0 x=-10: -2.5 -> -10 + 5; ch1 x=10: 25.
        assertArrayEquals(new byte[] {25, 10, -5, 25}, out);
        byte[] fast = new byte[4];
        PReluFast.prepare(p).eval(new byte[] {10, -10, -10, 10}, 0, fast, 0, 4);
        assertArrayEquals(out, fast);
    }

    @Test
    void tableKernelsMatchTheReferenceOnRandomConfigurations() {
        Random r = new Random(RandomConfigTest.SEED + 20);
        for (int i = 0; i < RandomConfigTest.CONFIGS; i++) {
            float inScale = (float) Math.exp(r.nextDouble() * 6 - 6);
            int inZp = r.nextInt(256) - 128;
            float outScale = (float) (inScale * Math.exp(r.nextDouble() * 4 - 1));
            int outZp = r.nextInt(256) - 128;
            ElementFunction f;
            switch (r.nextInt(5)) {
                case 0:
                    f = RealFunctionTable.of(Activations::sigmoid, inScale, inZp, 1f / 256, -128);
                    break;
                case 1:
                    f = RealFunctionTable.of(Activations::tanh, inScale, inZp, 1f / 128, 0);
                    break;
                case 2:
                    f = RealFunctionTable.hardSigmoid(r.nextFloat(), r.nextFloat(), inScale, inZp, outScale, outZp);
                    break;
                case 3:
                    f = RealFunctionTable.of(Activations::silu, inScale, inZp, outScale, outZp);
                    break;
                default:
                    f = HardSwishParams.fromScales(inScale, inZp, outScale, outZp);
            }
            int length = 1 + r.nextInt(300);
            byte[] in = RandomConfigTest.randomBytes(r, length + 3);
            byte[] expected = new byte[length + 2];
            byte[] actual = new byte[length + 2];
            LookupTableReference.eval(f, in, 3, expected, 1, length);
            LookupTableFast.prepare(f).eval(in, 3, actual, 1, length);
            assertArrayEquals(expected, actual, "configuration " + i + ": " + f);
        }
    }

    @Test
    void preluFastMatchesTheReferenceOnRandomConfigurations() {
        Random r = new Random(RandomConfigTest.SEED + 21);
        for (int i = 0; i < RandomConfigTest.CONFIGS; i++) {
            int channels = 1 + r.nextInt(40);
            byte[] slope = RandomConfigTest.randomBytes(r, channels);
            float inScale = (float) Math.exp(r.nextDouble() * 6 - 6);
            PReluParams p = PReluParams.fromScales(inScale, r.nextInt(256) - 128, slope, (float) Math.exp(r.nextDouble() * 4 - 7),
                    r.nextInt(256) - 128, (float) (inScale * Math.exp(r.nextDouble() * 3 - 1)), r.nextInt(256) - 128);
            int length = channels * (1 + r.nextInt(20));
            byte[] in = RandomConfigTest.randomBytes(r, length + 5);
            byte[] expected = new byte[length + 1];
            byte[] actual = new byte[length + 1];
            PReluReference.eval(p, in, 5, expected, 1, length);
            PReluFast.prepare(p).eval(in, 5, actual, 1, length);
            assertArrayEquals(expected, actual, "configuration " + i + ", channels " + channels);
        }
    }
}
