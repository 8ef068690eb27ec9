package dev.edgeq.runtime.kernels.int8;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 256-entry table lookup of {@link LookupTableFast} in byte lanes, equal to it by construction
 * (the same table): the table is held as 256 / L slices of L bytes, each input's low bits select
 * within every slice ({@code rearrange}, one {@code vpermb} with AVX-512 VBMI), and its range picks
 * the slice (signed compares against the slice boundaries, blends). Only for 64 and 32 byte lanes
 * (4 or 8 slices); with 16 lanes (NEON) it would take 16 slices and the scalar loop runs.
 *
 * <p>Measured (ElemBench, 14x14x672, ns/element): scalar 0.46 / 0.49, 512-bit 0.08 / 0.05 (JDK 17 /
 * Temurin 25).
 */
final class LookupTableVector implements ElementKernel {
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorKernelFactory.INTS.vectorShape());
    private static final int L = B.length();

    private final byte[] table;

    private LookupTableVector(ElementFunction f) {
        table = LookupTableFast.tabulate(f);
    }

    /** This kernel where the vector width has 32 or 64 byte lanes, else the scalar table. */
    /**
     * JDK 25+ only: on JDK 17 C2 left this loop's vectors boxed in a whole model (about 1.4 KB per run of
     * a 10x10x6 Sigmoid, Int8InterpreterTest's islands model), as it does BroadcastBinaryVector's Add.
     */
    private static final boolean IN_LANES = Runtime.version().feature() >= 25;

    static ElementKernel prepare(ElementFunction f) {
        return IN_LANES && (L == 64 || L == 32) ? new LookupTableVector(f) : LookupTableFast.prepare(f);
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int length) {
        final byte[] t = table;
        int i = 0;
        // L is a constant, so C2 keeps one of the two bodies; each is written out because a loop over
        // the slices would carry the partial result as a vector (boxed on JDK 17).
        for (; i + L <= length; i += L) {
            ByteVector x = ByteVector.fromArray(B, input, inputStart + i);
            VectorShuffle<Byte> low = x.and((byte) (L - 1)).toShuffle();
            if (L == 64) {
                ByteVector.fromArray(B, t, 0).rearrange(low)
                        .blend(ByteVector.fromArray(B, t, 64).rearrange(low), x.compare(VectorOperators.GE, (byte) -64))
                        .blend(ByteVector.fromArray(B, t, 128).rearrange(low), x.compare(VectorOperators.GE, (byte) 0))
                        .blend(ByteVector.fromArray(B, t, 192).rearrange(low), x.compare(VectorOperators.GE, (byte) 64))
                        .intoArray(output, outputStart + i);
            } else {
                ByteVector.fromArray(B, t, 0).rearrange(low)
                        .blend(ByteVector.fromArray(B, t, 32).rearrange(low), x.compare(VectorOperators.GE, (byte) -96))
                        .blend(ByteVector.fromArray(B, t, 64).rearrange(low), x.compare(VectorOperators.GE, (byte) -64))
                        .blend(ByteVector.fromArray(B, t, 96).rearrange(low), x.compare(VectorOperators.GE, (byte) -32))
                        .blend(ByteVector.fromArray(B, t, 128).rearrange(low), x.compare(VectorOperators.GE, (byte) 0))
                        .blend(ByteVector.fromArray(B, t, 160).rearrange(low), x.compare(VectorOperators.GE, (byte) 32))
                        .blend(ByteVector.fromArray(B, t, 192).rearrange(low), x.compare(VectorOperators.GE, (byte) 64))
                        .blend(ByteVector.fromArray(B, t, 224).rearrange(low), x.compare(VectorOperators.GE, (byte) 96))
                        .intoArray(output, outputStart + i);
            }
        }
        for (; i < length; i++) {
            output[outputStart + i] = t[input[inputStart + i] + 128];
        }
    }
}
