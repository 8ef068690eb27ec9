package dev.edgeq.runtime.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Worked values for Add's and Requantize's prepare and eval, and parameter validation messages. */
class ElementwiseOpsTest {

    @Test
    void addPrepareMatchesTflite() {
        AddParams p = AddParams.fromScales(1f, 0, 1f, 0, 1f, 0, -128, 127);
        assertEquals(20, p.leftShift);
        assertEquals(1 << 30, p.input1Multiplier); // 1 / (2 * 1) = 0.5
        assertEquals(0, p.input1Shift);
        assertEquals(1 << 30, p.outputMultiplier);  // 2 / 2^20 = 0.5 * 2^-18
        assertEquals(-18, p.outputShift);
    }

    @Test
    void addWorkedValues() {
        AddParams p = AddParams.fromScales(1f, 0, 1f, 0, 1f, 0, -128, 127);
        byte[] a = {3, 100, -100, -3, 0};
        byte[] b = {4, 100, -50, 1, 0};
        byte[] out = new byte[5];
        AddReference.eval(p, a, 0, b, 0, out, 0, 5);
        assertArrayEquals(new byte[] {7, 127, -128, -2, 0}, out);
        // different scales and zero points: x1 real = 0.5 * (x - 10), x2 real = 0.25 * (x + 4), out scale 0.5, zp -1
        AddParams q = AddParams.fromScales(0.5f, 10, 0.25f, -4, 0.5f, -1, -128, 127);
        byte[] o2 = new byte[1];
        AddReference.eval(q, new byte[] {20}, 0, new byte[] {8}, 0, o2, 0, 1); // 5 + 3 = 8 -> 16 - 1
        assertEquals(15, o2[0]);
        byte[] fast = new byte[1];
        AddFast.prepare(q).eval(new byte[] {20}, 0, new byte[] {8}, 0, fast, 0, 1);
        assertEquals(15, fast[0]);
    }

    @Test
    void requantizeWorkedValues() {
        Requantize r = Requantize.fromScales(0.5f, 10, 0.25f, -5); // real multiplier 2
        byte[] out = new byte[4];
        r.eval(new byte[] {20, 10, 127, -128}, 0, out, 0, 4);
        assertArrayEquals(new byte[] {15, -5, 127, -128}, out); // (20-10)*2-5, 0-5, clamp, clamp
    }

    @Test
    void invalidParametersNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvParams.builder()
                .input(1, 5, 5, 1).output(4, 5, 2).kernel(3, 3).padding(1, 1, 1, 1).perTensor(1 << 30, 0).build());
        assertEquals("conv output height 4 does not match input 5, pads 1/1, filter 3, dilation 1, stride 1 (expected 5)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PoolParams.builder()
                .input(1, 4, 4, 1).output(3, 2).kernel(2, 2).stride(2, 2).padding(2, 0, 0, 0).build());
        assertEquals("pool height: a window lies entirely in the padding (input 4, pad begin 2, filter 2, stride 2, output 3)",
                e.getMessage());
        ConvParams dw = ConvParams.builder().input(1, 3, 3, 2).output(3, 3, 5).kernel(1, 1).depthMultiplier(2)
                .perTensor(1 << 30, 0).build();
        e = assertThrows(IllegalArgumentException.class, () -> Int8Kernels.depthwiseConv2D(dw, new byte[5], 0, null, 0));
        assertEquals("depthwise conv: outputChannels 5 != inputChannels 2 * depthMultiplier 2", e.getMessage());
    }
}
