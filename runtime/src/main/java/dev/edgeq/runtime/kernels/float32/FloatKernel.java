package dev.edgeq.runtime.kernels.float32;

/**
 * A prepared float operator with one input and one output (convolution, fully connected), the float
 * counterpart of {@code int8.Int8Kernel}: immutable, made once at prepare time by
 * {@link FloatKernels}, run any number of times by {@link #eval}.
 *
 * <p>Ownership: the kernel owns its prepared constants (repacked weights, biases). The caller owns
 * input, output and scratch; the kernel only reads {@code input}, writes exactly the output tensor's
 * values, and uses {@code scratch[scratchStart, scratchStart + scratchInts())} as temporary memory
 * (an {@code int[]} because the kernels' scratch arena is one; float kernels keep float bits there).
 *
 * <p>Thread safety: no mutable state; one instance may be shared by threads that pass distinct
 * scratch and output regions.
 */
public interface FloatKernel {

    /** Ints of scratch memory {@link #eval} needs (0 if none); constant for the instance. */
    int scratchInts();

    /** Runs the operator; allocates nothing. */
    void eval(float[] input, int inputStart, float[] output, int outputStart, int[] scratch, int scratchStart);
}
