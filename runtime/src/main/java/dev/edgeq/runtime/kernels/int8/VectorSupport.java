package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.ConvGeometry;

/**
 * Detects the incubating Vector API and loads the vector kernels reflectively, so that the runtime
 * loads and runs (scalar) on a JVM started without {@code --add-modules jdk.incubator.vector}: no
 * class that mentions {@code jdk.incubator.vector} is touched unless the module is present.
 *
 * <p>Choosing the family is an {@code Interpreter.Options} setting ({@code kernels(SCALAR)} keeps
 * the vector kernels off). The vector width is JVM-wide: {@code -Dedgeq.vectorBits=128|256|512}
 * (default: the platform's preferred width; 128 bits is what a Raspberry Pi's NEON gives), because
 * C2 intrinsifies Vector API calls only for species held in {@code static final} fields.
 */
public final class VectorSupport {
    private static final String FACTORY_CLASS = "dev.edgeq.runtime.kernels.int8.VectorKernelFactory";
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    /**
     * Architectures whose HotSpot C2 compiles Vector API calls to SIMD instructions (x86-64: SSE/AVX,
     * AArch64: NEON/SVE). Elsewhere (32-bit ARM, i.e. a 32-bit Raspberry Pi OS, among others) the API
     * runs its Java fallback, which boxes every vector: measured under qemu on the armhf JVM, an
     * int8 MobileNet ran about 100 times slower than the scalar kernels, so AUTO must not choose it.
     */
    private static final java.util.Set<String> ACCELERATED_ARCHS = java.util.Set.of("amd64", "x86_64", "aarch64");
    private static final boolean ACCELERATED = AVAILABLE && ACCELERATED_ARCHS.contains(System.getProperty("os.arch", ""));
    private static volatile Factory factory;

    private VectorSupport() {
    }

    /** True if module jdk.incubator.vector is in the boot layer. */
    public static boolean available() {
        return AVAILABLE;
    }

    /**
     * True if the module is present and this JVM's architecture compiles the Vector API to SIMD code:
     * what {@code AUTO} requires before it picks the vector kernels ({@code VECTOR} may still be asked
     * for explicitly wherever the module is present, e.g. to test the kernels on another JVM).
     */
    public static boolean accelerated() {
        return ACCELERATED;
    }

    /** Int lanes of the vector kernels (0 when unavailable). */
    public static int intLanes() {
        return AVAILABLE ? factory().intLanes() : 0;
    }

    /** The vector kernels' factory interface (implemented by {@code VectorKernelFactory}, loaded reflectively). */
    public interface Factory {
        int intLanes();

        Int8Kernel conv2D(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart);

        Int8Kernel depthwiseConv2D(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart);

        Int8Kernel fullyConnected(FullyConnectedParams p, byte[] filter, int filterStart, int[] bias, int biasStart);

        Int8Kernel maxPool2D(PoolParams p);

        /** AveragePool2D / GlobalAveragePool with vector channel sums. */
        Int8Kernel averagePool2D(PoolParams p);

        /** Mean over H, W with vector channel sums. */
        Int8Kernel mean(MeanParams p);

        /** A 256-entry table lookup per element ({@link LookupTableFast}'s) in byte lanes where the width allows. */
        ElementKernel lookupTable(ElementFunction f);

        /** Add / Sub / Mul ({@link AddParams}, {@link MulParams}): lanes where exact, else the pair table. */
        ElementPairKernel elementPair(ElementPairFunction f);

        /** Float convolution ({@code float32.FloatKernels#conv2D}). */
        dev.edgeq.runtime.kernels.float32.FloatKernel conv2DFloat(dev.edgeq.runtime.kernels.ConvGeometry g, float[] weights,
                                                                  float[] bias, float actMin, float actMax);

        /** Float fully connected outputs ({@code float32.FloatKernels#fullyConnected}); weights and bias from the given starts. */
        dev.edgeq.runtime.kernels.float32.FloatKernel fullyConnectedFloat(int inputs, int outputs, float[] weights, int weightsStart,
                                                                          float[] bias, int biasStart, float actMin, float actMax);

        /** {@code DepthwiseConv2DFloatVector.conv}: the float reference's arithmetic, in lanes. */
        void depthwiseConv2DFloat(ConvGeometry g, float[] input, int inOff, float[] weights, float[] bias,
                                  float actMin, float actMax, float[] output, int outOff);

        /** {@code float32.MaxPool2DFloatVector#maxPool}: the float max pool, channel vectors innermost. */
        void maxPool2DFloat(ConvGeometry g, float[] input, int inOff, float actMin, float actMax, float[] output, int outOff);

        /** {@code float32.BinaryFloatVector#eval}: float Add / Sub / Mul ({@code float32.BinaryFloat}), in lanes. */
        void binaryFloat(dev.edgeq.runtime.kernels.float32.BinaryFloat.Op op, dev.edgeq.runtime.kernels.ChannelBroadcast s,
                         float[] a, int aOff, float[] b, int bOff, float actMin, float actMax, float[] out, int outOff);

        /** {@code float32.ActivationsVector#sigmoid}: {@code float32.FastActivations}' arithmetic, in lanes. */
        void sigmoidFloat(int n, float[] in, int inOff, float[] out, int outOff);

        /** {@code float32.ActivationsVector#silu}: {@code float32.FastActivations}' arithmetic, in lanes. */
        void siluFloat(int n, float[] in, int inOff, float[] out, int outOff);
    }

    /** The vector kernels (loaded on first use); only when {@link #available()}. */
    public static Factory factory() {
        Factory f = factory;
        if (f == null) {
            if (!AVAILABLE) {
                throw new IllegalStateException("module jdk.incubator.vector is not available");
            }
            try {
                f = (Factory) Class.forName(FACTORY_CLASS).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("cannot load the Vector API kernels (" + FACTORY_CLASS + ")", e);
            }
            factory = f;
        }
        return f;
    }
}
