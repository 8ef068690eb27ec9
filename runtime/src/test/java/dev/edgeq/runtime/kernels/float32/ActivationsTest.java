package dev.edgeq.runtime.kernels.float32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The real activation functions on worked values, and the float kernels that apply them. */
class ActivationsTest {

    @Test
    void workedValues() {
        assertEquals(0.5f, Activations.sigmoid(0f));
        assertEquals(0.7310586f, Activations.sigmoid(1f), 1e-7f);
        assertEquals(0.7310586f, Activations.silu(1f), 1e-7f);
        assertEquals(-0.26894143f, Activations.silu(-1f), 1e-7f);
        assertEquals(0.7615942f, Activations.tanh(1f), 1e-7f);
        assertEquals(0.75f, Activations.hardSigmoid(1.5f, 1f / 6, 0.5f));
        assertEquals(0f, Activations.hardSigmoid(-4f, 0.2f, 0.5f));
        assertEquals(1f, Activations.hardSigmoid(4f, 0.2f, 0.5f));
        assertEquals(2f / 3f, Activations.hardSwish(1f), 1e-7f);
        assertEquals(-0f, Activations.hardSwish(-3f)); // x * 0 keeps the sign, as ONNX Runtime
        assertEquals(5f, Activations.hardSwish(5f));
        assertEquals(-0.5f, Activations.prelu(-2f, 0.25f));
    }

    @Test
    void kernelsApplyPerElementAndPerChannel() {
        float[] out = new float[4];
        UnaryFloat.eval(Activations::hardSwish, 3, new float[] {9f, -4f, 1f, 3f}, 1, out, 1);
        assertArrayEquals(new float[] {0f, -0f, Activations.hardSwish(1f), 3f}, out);
        float[] p = new float[4];
        PReluFloat.eval(4, new float[] {-1f, -1f, 2f, -4f}, 0, new float[] {0.5f, 0.25f}, p, 0);
        assertArrayEquals(new float[] {-0.5f, -0.25f, 2f, -1f}, p);
    }
}
