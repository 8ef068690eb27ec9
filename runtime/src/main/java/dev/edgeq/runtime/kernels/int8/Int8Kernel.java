package dev.edgeq.runtime.kernels.int8;

/**
 * A prepared single-input int8 operator (conv, depthwise conv, fully connected, pooling): immutable,
 * made once at prepare time by {@link Int8Kernels}, run any number of times by {@link #eval}.
 *
 * <p>Ownership: the kernel owns its prepared constants (repacked weights, biases, multipliers). The
 * caller owns the input, output and scratch arrays; the kernel only reads {@code input}, writes
 * exactly the output tensor's bytes, and uses {@code scratch[scratchStart, scratchStart +
 * scratchInts())} as temporary memory whose content is undefined before and after the call.
 *
 * <p>Thread safety: instances hold no mutable state, so one instance may be shared by threads that
 * pass distinct scratch and output regions.
 */
public interface Int8Kernel {

    /** Ints of scratch memory {@link #eval} needs (0 if none); constant for the instance. */
    int scratchInts();

    /**
     * Floats of scratch memory {@link #eval} needs (0 if none); constant for the instance. The vector
     * convolution keeps its float image and sums in a {@code float[]}: float vectors reinterpreted
     * from an {@code int[]} were boxed by C2 on JDK 17 in some JVMs.
     */
    default int scratchFloats() {
        return 0;
    }

    /**
     * Runs the operator. Allocates nothing, uses integer arithmetic only.
     *
     * @param input int8 input tensor, layout as documented by the op's parameters class
     * @param inputStart index of the tensor's first element in {@code input}
     * @param output int8 output tensor
     * @param outputStart index of the tensor's first element in {@code output}
     * @param scratch at least {@link #scratchInts()} ints from {@code scratchStart} (may be null
     *     when {@code scratchInts() == 0})
     * @param scratchStart first scratch index this call may use
     * @param floatScratch at least {@link #scratchFloats()} floats from {@code floatScratchStart} (may
     *     be null when {@code scratchFloats() == 0})
     * @param floatScratchStart first float scratch index this call may use
     */
    void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart,
              float[] floatScratch, int floatScratchStart);
}
