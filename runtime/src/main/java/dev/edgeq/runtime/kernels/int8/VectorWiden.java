package dev.edgeq.runtime.kernels.int8;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * int8 to int32 widening with the input offset added, the first step of the vector conv kernels
 * (exact: a sign extension and an int add). A byte vector with as many lanes as the int species
 * widens in one conversion (C2 intrinsifies same-lane-count conversions); on 128-bit ints (4 lanes,
 * and no 32-bit byte vector exists) it stays scalar.
 */
final class VectorWiden {
    private static final VectorSpecies<Integer> S = VectorKernelFactory.INTS;
    private static final int L = S.length();
    private static final VectorSpecies<Byte> B = L >= 8
            ? ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(L * 8)).check(byte.class) : null;

    private VectorWiden() {
    }

    /** {@link #accumulate} as the pooling kernels' strategy. */
    static final ChannelSum ACCUMULATE = VectorWiden::accumulate;

    /** {@code acc[to + i] += src[from + i]} for i in [0, n): a pixel's channels into per-channel sums. */
    static void accumulate(byte[] src, int from, int[] acc, int to, int n) {
        int i = 0;
        if (B != null) {
            for (; i + L <= n; i += L) {
                ((IntVector) ByteVector.fromArray(B, src, from + i).convertShape(VectorOperators.B2I, S, 0))
                        .add(IntVector.fromArray(S, acc, to + i)).intoArray(acc, to + i);
            }
        }
        for (; i < n; i++) {
            acc[to + i] += src[from + i];
        }
    }

    /** {@code dst[to + i] = src[from + i] + offset} for i in [0, n). */
    static void widen(byte[] src, int from, int[] dst, int to, int n, int offset) {
        int i = 0;
        if (B != null) {
            for (; i + L <= n; i += L) {
                ((IntVector) ByteVector.fromArray(B, src, from + i).convertShape(VectorOperators.B2I, S, 0))
                        .add(offset).intoArray(dst, to + i);
            }
        }
        for (; i < n; i++) {
            dst[to + i] = src[from + i] + offset;
        }
    }
}
