package dev.edgeq.runtime.kernels.float32;

import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.kernels.int8.VectorSupport;

/**
 * Prepare-time choice of the float convolution and fully connected kernels, by the same
 * {@code Interpreter.Options.kernels} family as the int8 ones: {@code VECTOR} (and {@code AUTO} when
 * the Vector API is present) gives the register-blocked FMA kernels ({@code Conv2DFloatVector},
 * {@code FullyConnectedFloatVector}); {@code REFERENCE} and {@code SCALAR} give the reference loops
 * ({@link Conv2DFloat}, {@link FullyConnectedFloat}), which stay the oracle.
 *
 * <p>The fast kernels add each output's taps with fused multiply-adds in the reference's order
 * (ky, kx, ic), starting from the bias; the reference rounds each product before adding it. Both
 * are within {@code gamma(n) * sum|w * x|} of the exact sum ({@code gamma(n) = n u / (1 - n u)},
 * {@code u = 2^-24}, n the taps + 1), so they differ by at most twice that; FloatKernelsTest holds
 * them to it. The fast result does not depend on the vector width (each lane is one output channel).
 */
public final class FloatKernels {
    private FloatKernels() {
    }

    /** True when {@code family} runs the Vector API float kernels. */
    public static boolean vector(Int8Kernels.Implementation family) {
        return Int8Kernels.resolve(family) == Int8Kernels.Implementation.VECTOR;
    }

    /**
     * A 2-D convolution (grouped or not) over NHWC, batch 1.
     *
     * @param weights OHWI from index 0 (I = input channels per group; read at prepare by the fast
     *     kernel, which repacks them, and at each run by the reference)
     * @param bias [O] from index 0, or null
     */
    public static FloatKernel conv2D(ConvGeometry g, float[] weights, float[] bias, float actMin, float actMax,
                                     Int8Kernels.Implementation family) {
        if (vector(family)) {
            return VectorSupport.factory().conv2DFloat(g, weights, bias, actMin, actMax);
        }
        return reference((in, inOff, out, outOff) -> Conv2DFloat.conv(g, in, inOff, weights, bias, actMin, actMax, out, outOff));
    }

    /**
     * A fully connected layer's outputs {@code [from, from + outputs)}: weights [all outputs][inputs]
     * row-major from index 0, bias [all outputs] or null; the output is written from its first element.
     */
    public static FloatKernel fullyConnected(int inputs, int outputs, int from, float[] weights, float[] bias,
                                             float actMin, float actMax, Int8Kernels.Implementation family) {
        if (vector(family)) {
            return VectorSupport.factory().fullyConnectedFloat(inputs, outputs, weights, from * inputs, bias, from, actMin, actMax);
        }
        // The reference reads weights and bias from index 0: a partition gets its own rows.
        boolean whole = from == 0 && weights.length == (long) inputs * outputs;
        float[] w = whole ? weights : java.util.Arrays.copyOfRange(weights, from * inputs, (from + outputs) * inputs);
        float[] b = bias == null || whole ? bias : java.util.Arrays.copyOfRange(bias, from, from + outputs);
        return reference((in, inOff, out, outOff) -> FullyConnectedFloat.fullyConnected(inputs, outputs, in, inOff, w, b,
                actMin, actMax, out, outOff));
    }

    /**
     * The Vector API Sigmoid/SiLU are chosen on JDK 25 and later only. On JDK 17, once the bundled
     * models have run in the JVM, C2 compiles {@code ActivationsVector}'s {@code intoArray} with a
     * profiled, not exact, receiver class and boxes one vector per store (96 bytes per 16 floats,
     * reproduced outside the tests); Temurin 25 allocates nothing in the same run. JDK 21 is untested.
     */
    private static final boolean VECTOR_ACTIVATIONS = Runtime.version().feature() >= 25;

    /**
     * Sigmoid over a tensor: {@code VECTOR} runs {@code ActivationsVector} on JDK 25+ (see
     * {@link #VECTOR_ACTIVATIONS}), else, as {@code SCALAR}, its scalar twin {@link FastActivations}
     * (the same bits; float arithmetic, {@link FastActivations#MAX_ULPS} ulps from the exact function);
     * {@code REFERENCE} the exact {@link Activations#sigmoid} per element (the oracle).
     */
    public static UnaryFloat.Kernel sigmoid(Int8Kernels.Implementation family) {
        return fastOrExact(family, false);
    }

    /** SiLU over a tensor, chosen as {@link #sigmoid}. */
    public static UnaryFloat.Kernel silu(Int8Kernels.Implementation family) {
        return fastOrExact(family, true);
    }

    private static UnaryFloat.Kernel fastOrExact(Int8Kernels.Implementation family, boolean silu) {
        Int8Kernels.Implementation resolved = Int8Kernels.resolve(family);
        if (resolved == Int8Kernels.Implementation.REFERENCE) {
            return UnaryFloat.perElement(silu ? Activations::silu : Activations::sigmoid);
        }
        if (resolved == Int8Kernels.Implementation.VECTOR && VECTOR_ACTIVATIONS) {
            VectorSupport.Factory v = VectorSupport.factory();
            return silu ? v::siluFloat : v::sigmoidFloat;
        }
        return silu ? FastActivations::silu : FastActivations::sigmoid;
    }

    private interface Body {
        void run(float[] input, int inputStart, float[] output, int outputStart);
    }

    private static FloatKernel reference(Body body) {
        return new FloatKernel() {
            @Override
            public int scratchFloats() {
                return 0;
            }

            @Override
            public void eval(float[] input, int inputStart, float[] output, int outputStart, float[] scratch, int scratchStart) {
                body.run(input, inputStart, output, outputStart);
            }
        };
    }
}
