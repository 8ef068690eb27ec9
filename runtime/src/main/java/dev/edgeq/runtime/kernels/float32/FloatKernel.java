package dev.edgeq.runtime.kernels.float32;

/**
 * A prepared float operator with one input and one output (convolution, fully connected), the float
 * counterpart of {@code int8.Int8Kernel}: immutable, made once at prepare time by
 * {@link FloatKernels}, run any number of times by {@link #eval}.
 *
 * <p>Ownership: the kernel owns its prepared constants (repacked weights, biases). The caller owns
 * input, output and scratch; the kernel only reads {@code input}, writes exactly the output tensor's
 * values, and uses {@code scratch[scratchStart, scratchStart + scratchFloats())} as temporary memory
 * whose content is undefined before and after the call.
 *
 * <p>Thread safety: no mutable state; one instance may be shared by threads that pass distinct
 * scratch and output regions.
 */
public interface FloatKernel {

    /** Floats of scratch memory {@link #eval} needs (0 if none); constant for the instance. */
    int scratchFloats();

    /** Runs the operator; allocates nothing. */
    void eval(float[] input, int inputStart, float[] output, int outputStart, float[] scratch, int scratchStart);
}
