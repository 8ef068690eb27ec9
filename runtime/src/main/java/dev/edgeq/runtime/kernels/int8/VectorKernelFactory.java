package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.ChannelBroadcast;
import dev.edgeq.runtime.kernels.float32.ActivationsVector;
import dev.edgeq.runtime.kernels.float32.BinaryFloat;
import dev.edgeq.runtime.kernels.float32.BinaryFloatVector;
import dev.edgeq.runtime.kernels.float32.MaxPool2DFloatVector;
import dev.edgeq.runtime.kernels.float32.Conv2DFloatVector;
import dev.edgeq.runtime.kernels.float32.FloatKernel;
import dev.edgeq.runtime.kernels.float32.FullyConnectedFloatVector;
import dev.edgeq.runtime.kernels.float32.DepthwiseConv2DFloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Entry point of the Vector API kernels. Loaded only by {@link VectorSupport} (reflectively) when
 * module jdk.incubator.vector is present; nothing else may reference this class or the
 * {@code *Vector} kernels. The species are {@code static final} so that C2 intrinsifies them.
 */
public final class VectorKernelFactory implements VectorSupport.Factory {
    /** Int species used by every vector kernel ({@code -Dedgeq.vectorBits}, default: preferred). */
    static final VectorSpecies<Integer> INTS = intSpecies();
    /**
     * Float species of the same width as {@link #INTS}: the float kernels and the float-exact int8
     * kernels (their lanes move between int and float arrays by reinterpretation, which keeps the shape).
     */
    public static final VectorSpecies<Float> FLOATS = VectorSpecies.of(float.class, INTS.vectorShape());
    /**
     * Requantization species: ints of half the width of {@link #INTS} and longs of its full width, so
     * both have the same lane count and int/long conversions are plain sign-extensions/narrowings
     * (C2 intrinsifies those; conversions that change the lane count are not in JDK 17).
     */
    static final VectorSpecies<Integer> HALF_INTS = INTS.vectorBitSize() >= 128
            ? IntVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(INTS.vectorBitSize() / 2)).check(int.class) : null;
    static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED.withShape(INTS.vectorShape()).check(long.class);
    /**
     * Vectorized requantization needs a 64-bit lane multiply; x86 has one (AVX-512DQ / emulated on
     * AVX2) but 128-bit NEON does not, so on 128-bit vectors (a Raspberry Pi) the output stage stays
     * scalar. Override with {@code -Dedgeq.vectorRequant=true|false}.
     */
    static final boolean VECTOR_REQUANT = Boolean.parseBoolean(
            System.getProperty("edgeq.vectorRequant", String.valueOf(INTS.vectorBitSize() >= 256)));

    private static VectorSpecies<Integer> intSpecies() {
        String bits = System.getProperty("edgeq.vectorBits");
        if (bits == null || bits.isBlank()) {
            return IntVector.SPECIES_PREFERRED;
        }
        VectorSpecies<Integer> s = IntVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(Integer.parseInt(bits.trim())))
                .check(int.class);
        if (s.vectorBitSize() > IntVector.SPECIES_PREFERRED.vectorBitSize()) {
            throw new IllegalArgumentException("edgeq.vectorBits=" + bits + " exceeds this CPU's preferred "
                    + IntVector.SPECIES_PREFERRED.vectorBitSize() + " bits");
        }
        return s;
    }

    public VectorKernelFactory() {
    }

    @Override
    public int intLanes() {
        return INTS.length();
    }

    @Override
    public Int8Kernel conv2D(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        return Conv2DFloatExact.prepare(p, filter, filterStart, bias, biasStart);
    }

    @Override
    public Int8Kernel depthwiseConv2D(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        if (!DepthwiseConv2DFloatExact.supports(p)) {
            // Filters above 128 positions (beyond float-exact sums): the scalar fast kernel.
            return DepthwiseConv2DFast.prepare(p, filter, filterStart, bias, biasStart);
        }
        return DepthwiseConv2DFloatExact.prepare(p, filter, filterStart, bias, biasStart);
    }

    @Override
    public Int8Kernel fullyConnected(FullyConnectedParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        return FullyConnectedFloatExact.prepare(p, filter, filterStart, bias, biasStart);
    }

    @Override
    public Int8Kernel maxPool2D(PoolParams p) {
        return MaxPool2DVector.prepare(p);
    }

    @Override
    public Int8Kernel averagePool2D(PoolParams p) {
        return AveragePool2DFast.prepare(p, VectorWiden.ACCUMULATE);
    }

    @Override
    public Int8Kernel mean(MeanParams p) {
        return MeanFast.prepare(p, VectorWiden.ACCUMULATE);
    }

    @Override
    public ElementKernel lookupTable(ElementFunction f) {
        return LookupTableVector.prepare(f);
    }

    @Override
    public ElementPairKernel elementPair(ElementPairFunction f) {
        return BroadcastBinaryVector.prepare(f);
    }

    @Override
    public FloatKernel conv2DFloat(ConvGeometry g, float[] weights, float[] bias, float actMin, float actMax) {
        return Conv2DFloatVector.prepare(g, weights, bias, actMin, actMax);
    }

    @Override
    public FloatKernel fullyConnectedFloat(int inputs, int outputs, float[] weights, int weightsStart, float[] bias, int biasStart,
                                           float actMin, float actMax) {
        return FullyConnectedFloatVector.prepare(inputs, outputs, weights, weightsStart, bias, biasStart, actMin, actMax);
    }

    @Override
    public void depthwiseConv2DFloat(ConvGeometry g, float[] input, int inOff, float[] weights, float[] bias,
                                     float actMin, float actMax, float[] output, int outOff) {
        DepthwiseConv2DFloatVector.conv(g, input, inOff, weights, bias, actMin, actMax, output, outOff);
    }

    @Override
    public void maxPool2DFloat(ConvGeometry g, float[] input, int inOff, float actMin, float actMax, float[] output, int outOff) {
        MaxPool2DFloatVector.maxPool(g, input, inOff, actMin, actMax, output, outOff);
    }

    @Override
    public void binaryFloat(BinaryFloat.Op op, ChannelBroadcast s, float[] a, int aOff, float[] b, int bOff,
                            float actMin, float actMax, float[] out, int outOff) {
        BinaryFloatVector.eval(op, s, a, aOff, b, bOff, actMin, actMax, out, outOff);
    }

    @Override
    public void sigmoidFloat(int n, float[] in, int inOff, float[] out, int outOff) {
        ActivationsVector.sigmoid(n, in, inOff, out, outOff);
    }

    @Override
    public void siluFloat(int n, float[] in, int inOff, float[] out, int outOff) {
        ActivationsVector.silu(n, in, inOff, out, outOff);
    }
}
