package dev.edgeq.runtime.kernels.int8;

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
    /** Long species of the same bit size (half the lanes), used by the vectorized requantization. */
    static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED.withShape(INTS.vectorShape()).check(long.class);

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
        return Conv2DVector.prepare(p, filter, filterStart, bias, biasStart);
    }

    @Override
    public Int8Kernel depthwiseConv2D(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        if (p.depthMultiplier != 1) {
            // Channel multipliers > 1 are rare (not in MobileNet-style models): scalar fast kernel.
            return DepthwiseConv2DFast.prepare(p, filter, filterStart, bias, biasStart);
        }
        return DepthwiseConv2DVector.prepare(p, filter, filterStart, bias, biasStart);
    }

    @Override
    public Int8Kernel fullyConnected(FullyConnectedParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        return FullyConnectedVector.prepare(p, filter, filterStart, bias, biasStart);
    }
}
