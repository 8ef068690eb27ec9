package dev.edgeq.runtime.kernels.float32;

/** Float element-wise kernel of a function of one value (HardSigmoid, HardSwish, Sigmoid, SiLU, Tanh). */
public final class UnaryFloat {
    private UnaryFloat() {}

    /** A real function of one value, applied per element; see {@link Activations}. */
    @FunctionalInterface
    public interface Function {
        float apply(float x);
    }

    /** A function applied to {@code n} elements: {@code out[outOff + i] = f(in[inOff + i])}; allocates nothing. */
    @FunctionalInterface
    public interface Kernel {
        void eval(int n, float[] in, int inOff, float[] out, int outOff);
    }

    /** The kernel that applies {@code f} per element ({@link #eval}). */
    public static Kernel perElement(Function f) {
        return (n, in, inOff, out, outOff) -> eval(f, n, in, inOff, out, outOff);
    }

    public static void eval(Function f, int n, float[] in, int inOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = f.apply(in[inOff + i]);
        }
    }
}
