package dev.edgeq.runtime.kernels.int8;

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
    private static volatile Factory factory;

    private VectorSupport() {
    }

    /** True if module jdk.incubator.vector is in the boot layer. */
    public static boolean available() {
        return AVAILABLE;
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

        /** Float convolution ({@code float32.FloatKernels#conv2D}). */
        dev.edgeq.runtime.kernels.float32.FloatKernel conv2DFloat(dev.edgeq.runtime.kernels.ConvGeometry g, float[] weights,
                                                                  float[] bias, float actMin, float actMax);

        /** Float fully connected outputs ({@code float32.FloatKernels#fullyConnected}); weights and bias from the given starts. */
        dev.edgeq.runtime.kernels.float32.FloatKernel fullyConnectedFloat(int inputs, int outputs, float[] weights, int weightsStart,
                                                                          float[] bias, int biasStart, float actMin, float actMax);
    }

    /** The vector kernels' factory; only when {@link #available()}. */
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
