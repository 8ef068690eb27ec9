package dev.edgeq.runtime.kernels.float32;

/** Float element-wise kernel of a function of one value (HardSigmoid, HardSwish, Sigmoid, SiLU, Tanh). */
public final class UnaryFloat {
    private UnaryFloat() {}

    /** A real function of one value, applied per element; see {@link Activations}. */
    @FunctionalInterface
    public interface Function {
        float apply(float x);
    }

    public static void eval(Function f, int n, float[] in, int inOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = f.apply(in[inOff + i]);
        }
    }
}
