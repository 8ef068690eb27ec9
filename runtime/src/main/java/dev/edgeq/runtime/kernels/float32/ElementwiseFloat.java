package dev.edgeq.runtime.kernels.float32;

/**
 * Float clamps (ReLU, ReLU6, Clip) and LeakyRelu over flat arrays; the functions with
 * transcendentals are {@link Activations} applied by {@link UnaryFloat}.
 */
public final class ElementwiseFloat {
    private ElementwiseFloat() {}

    /** out = clamp(a) (ReLU: [0, inf); ReLU6: [0, 6]; Clip: [min, max]). */
    public static void clamp(int n, float[] a, int aOff, float min, float max, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.min(Math.max(a[aOff + i], min), max);
        }
    }

    public static void leakyRelu(int n, float alpha, float[] a, int aOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Activations.prelu(a[aOff + i], alpha);
        }
    }
}
