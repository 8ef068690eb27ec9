package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;
import dev.edgeq.runtime.kernels.ConvGeometry;

import java.util.Arrays;

/**
 * Prepare-time kernel selection (the CMSIS-NN wrapper idea): given an op's parameters and constants,
 * returns the {@link Int8Kernel} to run. The choice is made once, here, never inside eval.
 *
 * <p>{@link Implementation#AUTO} picks the Vector API kernels when {@link VectorSupport#accelerated()}
 * (module {@code jdk.incubator.vector} present on an architecture whose JIT compiles it to SIMD code),
 * else the scalar fast kernels. {@link Implementation#REFERENCE}
 * wraps the reference kernels (slow; for debugging and differential tests).
 */
public final class Int8Kernels {
    private Int8Kernels() {
    }

    /** Which kernel family to use. */
    public enum Implementation {
        /** The plain reference loops (the oracle). */
        REFERENCE,
        /** Scalar fast kernels (pure Java 17, no incubator module). */
        SCALAR,
        /** Vector API kernels where the op has one (scalar fast otherwise); needs jdk.incubator.vector. */
        VECTOR,
        /** VECTOR when the Vector API is present and compiled to SIMD code on this architecture, else SCALAR. */
        AUTO
    }

    /** The family {@code impl} runs as: AUTO becomes VECTOR or SCALAR, the others stay. */
    public static Implementation resolve(Implementation impl) {
        if (impl == Implementation.AUTO) {
            return VectorSupport.accelerated() ? Implementation.VECTOR : Implementation.SCALAR;
        }
        if (impl == Implementation.VECTOR && !VectorSupport.available()) {
            throw new IllegalStateException("Vector API kernels requested but module jdk.incubator.vector is not in the boot layer"
                    + " (run java with --add-modules jdk.incubator.vector)");
        }
        return impl;
    }

    /** Conv2D with the AUTO implementation. */
    public static Int8Kernel conv2D(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        return conv2D(p, filter, filterStart, bias, biasStart, Implementation.AUTO);
    }

    /**
     * Conv2D, grouped or not ({@link ConvGeometry#groups}).
     *
     * @param filter OHWI int8 filter (copied), I = input channels per group
     * @param bias int32 per output channel (copied), or null
     */
    public static Int8Kernel conv2D(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart,
                                    Implementation impl) {
        ConvGeometry g = p.geometry;
        Implementation resolved = resolve(impl);
        if (g.groups > 1 && resolved == Implementation.SCALAR) {
            return GroupedConv2DFast.prepare(p, filter, filterStart, bias, biasStart);
        }
        switch (resolved) {
            case REFERENCE: {
                Checks.array("conv filter", filter, filterStart, g.convFilterSize());
                byte[] f = Arrays.copyOfRange(filter, filterStart, filterStart + g.convFilterSize());
                int[] b = bias == null ? null : Conv2DFast.copyBias(g.outputC, bias, biasStart);
                return new ReferenceKernel(0, (in, inStart, out, outStart) -> Conv2DReference.eval(p, in, inStart, f, 0, b, 0, out, outStart));
            }
            case VECTOR:
                return VectorSupport.factory().conv2D(p, filter, filterStart, bias, biasStart);
            default:
                return Conv2DFast.prepare(p, filter, filterStart, bias, biasStart);
        }
    }

    public static Int8Kernel depthwiseConv2D(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        return depthwiseConv2D(p, filter, filterStart, bias, biasStart, Implementation.AUTO);
    }

    /**
     * @param filter 1HWO int8 filter (copied)
     * @param bias int32 per output channel (copied), or null
     */
    public static Int8Kernel depthwiseConv2D(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart,
                                             Implementation impl) {
        ConvGeometry g = p.geometry;
        DepthwiseConv2DFast.checkDepthwise(p);
        switch (resolve(impl)) {
            case REFERENCE: {
                Checks.array("depthwise filter", filter, filterStart, g.depthwiseFilterSize());
                byte[] f = Arrays.copyOfRange(filter, filterStart, filterStart + g.depthwiseFilterSize());
                int[] b = bias == null ? null : Conv2DFast.copyBias(g.outputC, bias, biasStart);
                return new ReferenceKernel(0, (in, inStart, out, outStart) -> DepthwiseConv2DReference.eval(p, in, inStart, f, 0, b, 0, out, outStart));
            }
            case VECTOR:
                return VectorSupport.factory().depthwiseConv2D(p, filter, filterStart, bias, biasStart);
            default:
                return DepthwiseConv2DFast.prepare(p, filter, filterStart, bias, biasStart);
        }
    }

    public static Int8Kernel fullyConnected(FullyConnectedParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        return fullyConnected(p, filter, filterStart, bias, biasStart, Implementation.AUTO);
    }

    /**
     * @param filter {@code [outputDepth][inputDepth]} int8 (copied)
     * @param bias int32 per output (copied), or null
     */
    public static Int8Kernel fullyConnected(FullyConnectedParams p, byte[] filter, int filterStart, int[] bias, int biasStart,
                                            Implementation impl) {
        switch (resolve(impl)) {
            case REFERENCE: {
                int n = p.outputDepth * p.inputDepth;
                Checks.array("fully connected filter", filter, filterStart, n);
                byte[] f = Arrays.copyOfRange(filter, filterStart, filterStart + n);
                int[] b = bias == null ? null : Conv2DFast.copyBias(p.outputDepth, bias, biasStart);
                return new ReferenceKernel(0, (in, inStart, out, outStart) -> FullyConnectedReference.eval(p, in, inStart, f, 0, b, 0, out, outStart));
            }
            case VECTOR:
                return VectorSupport.factory().fullyConnected(p, filter, filterStart, bias, biasStart);
            default:
                return FullyConnectedFast.prepare(p, filter, filterStart, bias, biasStart);
        }
    }

    public static Int8Kernel maxPool2D(PoolParams p) {
        return maxPool2D(p, Implementation.AUTO);
    }

    /** MaxPool2D and GlobalMaxPool ({@link PoolParams#global}). */
    public static Int8Kernel maxPool2D(PoolParams p, Implementation impl) {
        switch (resolve(impl)) {
            case REFERENCE:
                return new ReferenceKernel(0, (in, inStart, out, outStart) -> MaxPool2DReference.eval(p, in, inStart, out, outStart));
            case VECTOR:
                return VectorSupport.factory().maxPool2D(p);
            default:
                return MaxPool2DFast.prepare(p);
        }
    }

    /** An element-wise op of one tensor as a 256-entry table ({@link ElementFunction}: Sigmoid, Tanh, SiLU, HardSwish, ...). */
    public static ElementKernel lookupTable(ElementFunction f, Implementation impl) {
        switch (resolve(impl)) {
            case REFERENCE:
                return (in, inStart, out, outStart, n) -> LookupTableReference.eval(f, in, inStart, out, outStart, n);
            case VECTOR:
                return VectorSupport.factory().lookupTable(f);
            default:
                return LookupTableFast.prepare(f);
        }
    }

    /**
     * Add / Sub / Mul of two tensors, one possibly a per-channel gate ({@link AddParams},
     * {@link MulParams}, or any {@link ElementPairFunction} for the table and reference kernels).
     */
    public static ElementPairKernel elementPair(ElementPairFunction f, Implementation impl) {
        switch (resolve(impl)) {
            case REFERENCE:
                return (s, in1, in1Start, in2, in2Start, out, outStart) ->
                        BroadcastBinaryReference.eval(f, s, in1, in1Start, in2, in2Start, out, outStart);
            case VECTOR:
                return VectorSupport.factory().elementPair(f);
            default:
                return BroadcastBinaryFast.prepare(f);
        }
    }

    public static Int8Kernel averagePool2D(PoolParams p) {
        return averagePool2D(p, Implementation.AUTO);
    }

    /** AveragePool2D and GlobalAveragePool ({@link PoolParams#global}); VECTOR: the channel sums in int lanes. */
    public static Int8Kernel averagePool2D(PoolParams p, Implementation impl) {
        switch (resolve(impl)) {
            case REFERENCE:
                return new ReferenceKernel(0, (in, inStart, out, outStart) -> AveragePool2DReference.eval(p, in, inStart, out, outStart));
            case VECTOR:
                return VectorSupport.factory().averagePool2D(p);
            default:
                return AveragePool2DFast.prepare(p);
        }
    }

    /** Mean over height and width ({@link MeanParams}); VECTOR: the channel sums in int lanes. */
    public static Int8Kernel mean(MeanParams p, Implementation impl) {
        switch (resolve(impl)) {
            case REFERENCE:
                return new ReferenceKernel(0, (in, inStart, out, outStart) -> MeanReference.eval(p, in, inStart, out, outStart));
            case VECTOR:
                return VectorSupport.factory().mean(p);
            default:
                return MeanFast.prepare(p);
        }
    }

    /** Adapts a reference kernel call to {@link Int8Kernel}. */
    private static final class ReferenceKernel implements Int8Kernel {
        interface Body {
            void run(byte[] input, int inputStart, byte[] output, int outputStart);
        }

        private final int scratch;
        private final Body body;

        ReferenceKernel(int scratch, Body body) {
            this.scratch = scratch;
            this.body = body;
        }

        @Override
        public int scratchInts() {
            return scratch;
        }

        @Override
        public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart,
                     float[] floatScratch, int floatScratchStart) {
            body.run(input, inputStart, output, outputStart);
        }
    }
}
