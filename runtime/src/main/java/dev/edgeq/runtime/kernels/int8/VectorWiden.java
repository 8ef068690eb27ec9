package dev.edgeq.runtime.kernels.int8;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * int8 widening in lanes: to float with the input offset added, the first step of the float-exact kernels
 * ({@link #floatBits}), and into per-channel int sums, the pooling kernels' ({@link #accumulate}). floatBits
 * stores {@code x + inputOffset} as the bits of a float in their int scratch (exact: |x + offset| &lt;= 255,
 * and the float sum of two small integers is the same float as the int sum converted, +0 included).
 *
 * <p>Scalar, this loop cost about a fifth of MobileNetV2-224's int8 inference (each depthwise layer
 * widens its whole input, 1.2 M values in the second one). A byte vector of as many lanes as the float
 * species converts in one step; where that byte vector would be narrower than 64 bits (128-bit floats,
 * NEON) a 64-bit byte vector converts in two parts. Each part is a constant so that C2 intrinsifies
 * the conversion, and the first operation on a converted vector is a constant's ({@link #NO_INTS})
 * so that no polluted type profile makes C2 box it.
 */
final class VectorWiden {
    private static final VectorSpecies<Float> F = VectorKernelFactory.FLOATS;
    private static final VectorSpecies<Integer> I = VectorKernelFactory.INTS;
    private static final int L = F.length();
    /** Bytes loaded per step: one vector of {@link #L} lanes, at least 64 bits. */
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED
            .withShape(VectorShape.forBitSize(Math.max(64, L * 8))).check(byte.class);
    private static final int PARTS = B.length() / L;
    /**
     * Receivers of the first operation on a converted vector. A conversion's result has a class C2
     * learns only once the conversion is intrinsified, after it has chosen how to call that result's
     * methods; so those calls go through the JDK's shared type profiles (on AVX-512, 256- and 512-bit
     * int vectors share {@code IntVector}'s), and a store that C2 then did not intrinsify allocated the
     * vector each time (IntraOpThreadsTest, one full Temurin 25 suite in four to ten; found with
     * LogCompilation and JFR). A constant's class is known, and so is that of what its operations return.
     */
    static final IntVector NO_INTS = IntVector.zero(I);
    /** See {@link #NO_INTS}; {@code NO_FLOATS.add(offset)} is the offset in every lane. */
    private static final FloatVector NO_FLOATS = FloatVector.zero(F);

    private VectorWiden() {
    }

    /** {@link #accumulate} as the pooling kernels' strategy. */
    static final ChannelSum ACCUMULATE = VectorWiden::accumulate;

    /** {@code acc[to + i] += src[from + i]} for i in [0, n): a pixel's channels into per-channel sums. */
    static void accumulate(byte[] src, int from, int[] acc, int to, int n) {
        int i = 0;
        final int step = B.length();
        if (PARTS == 1) {
            for (; i + step <= n; i += step) {
                NO_INTS.add(ByteVector.fromArray(B, src, from + i).convertShape(VectorOperators.B2I, I, 0))
                        .add(IntVector.fromArray(I, acc, to + i)).intoArray(acc, to + i);
            }
        } else if (PARTS == 2) {
            for (; i + step <= n; i += step) {
                ByteVector b = ByteVector.fromArray(B, src, from + i);
                NO_INTS.add(b.convertShape(VectorOperators.B2I, I, 0))
                        .add(IntVector.fromArray(I, acc, to + i)).intoArray(acc, to + i);
                NO_INTS.add(b.convertShape(VectorOperators.B2I, I, 1))
                        .add(IntVector.fromArray(I, acc, to + i + L)).intoArray(acc, to + i + L);
            }
        }
        for (; i < n; i++) {
            acc[to + i] += src[from + i];
        }
    }

    /** {@code dst[to + i] = src[from + i] + offset} for i in [0, n): {@link #floatBits} into a float image. */
    static void floats(byte[] src, int from, float[] dst, int to, int n, int offset) {
        // offset + x, the same float as x + offset, so that the receiver is a constant's sum (see NO_INTS).
        final FloatVector off = NO_FLOATS.add(offset);
        int i = 0;
        final int step = B.length();
        if (PARTS == 1) {
            for (; i + step <= n; i += step) {
                off.add(ByteVector.fromArray(B, src, from + i).convertShape(VectorOperators.B2F, F, 0)).intoArray(dst, to + i);
            }
        } else if (PARTS == 2) {
            for (; i + step <= n; i += step) {
                ByteVector b = ByteVector.fromArray(B, src, from + i);
                off.add(b.convertShape(VectorOperators.B2F, F, 0)).intoArray(dst, to + i);
                off.add(b.convertShape(VectorOperators.B2F, F, 1)).intoArray(dst, to + i + L);
            }
        }
        for (; i < n; i++) {
            dst[to + i] = src[from + i] + offset;
        }
    }

    /** {@code dst[to + i] = floatToRawIntBits(src[from + i] + offset)} for i in [0, n). */
    static void floatBits(byte[] src, int from, int[] dst, int to, int n, int offset) {
        final FloatVector off = NO_FLOATS.add(offset);
        int i = 0;
        final int step = B.length();
        if (PARTS == 1) {
            for (; i + step <= n; i += step) {
                NO_INTS.or(off.add(ByteVector.fromArray(B, src, from + i).convertShape(VectorOperators.B2F, F, 0))
                        .reinterpretShape(I, 0)).intoArray(dst, to + i);
            }
        } else if (PARTS == 2) {
            for (; i + step <= n; i += step) {
                ByteVector b = ByteVector.fromArray(B, src, from + i);
                NO_INTS.or(off.add(b.convertShape(VectorOperators.B2F, F, 0)).reinterpretShape(I, 0)).intoArray(dst, to + i);
                NO_INTS.or(off.add(b.convertShape(VectorOperators.B2F, F, 1)).reinterpretShape(I, 0)).intoArray(dst, to + i + L);
            }
        }
        for (; i < n; i++) {
            dst[to + i] = Float.floatToRawIntBits(src[from + i] + offset);
        }
    }
}
