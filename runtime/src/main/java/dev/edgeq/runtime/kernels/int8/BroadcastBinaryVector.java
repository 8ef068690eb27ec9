package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.ChannelBroadcast;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector int8 Add / Sub ({@link AddParams}) and Mul ({@link MulParams}), bit-exact with
 * {@link BroadcastBinaryReference}: the TFLite arithmetic itself in int lanes, one int lane per
 * element, instead of {@link BroadcastBinaryFast}'s pair table (a gather per element, which the
 * Vector API cannot do on bytes). Elements past the last whole vector of a run go through that table.
 *
 * <p>Every {@code multiplyByQuantizedMultiplier} here has a right shift only, so it is
 * {@code q = floor((x * m + 2^30) / 2^31)} followed by the rounding shift of
 * {@link Requant#multiplyByQuantizedMultiplierLong} (the proof is there). The 64-bit product is
 * never formed: x and m are split into 15- and 16-bit pieces whose partial products fit in int, and
 * the pieces are recombined so that nothing overflows (bounds below, per op). {@link #supports}
 * admits only parameters for which the bounds hold; others get the table kernel.
 * <ul>
 *   <li>Mul: {@code p = (x1 - zp1)(x2 - zp2)}, {@code |p| <= 255^2 < 2^16}; with
 *       {@code m = m2 2^30 + m1 2^15 + m0} ({@code m0, m1 < 2^15}, {@code m2} 0 or 1, m >= 0):
 *       {@code A = p m1 + (p m0 >> 15)} ({@code |A| < 2^31}) gives {@code p m = A 2^15 + (p m0 & 0x7fff)
 *       + p m2 2^30}, the low 15 bits cannot reach the quotient, so
 *       {@code q = (A >> 16) + (((A & 0xffff) + ((p m2 + 1) << 15)) >> 16)}.</li>
 *   <li>Add, inputs: {@code x = v 2^ls}, {@code |v| <= 255}, so {@code q = floor((v m + 2^(k-1)) / 2^k)}
 *       with {@code k = 31 - ls}; with {@code m = mh 2^16 + ml} ({@code mh} signed) and {@code k <= 16}
 *       that is {@code (v mh << (16 - k)) + ((v ml + 2^(k-1)) >> k)}, both terms in int for ls <= 20.
 *       Each scaled input is below 2^28 in magnitude, their sum s below 2^29.</li>
 *   <li>Add, output: {@code s = sh 2^15 + sl} ({@code sl < 2^15}, {@code |sh| <= 2^14}) and m split as for
 *       Mul: {@code L = sl m0}, {@code M = sh m0 + sl m1 + (L >> 15)} ({@code |M| < 2^31}),
 *       {@code G = sh m1 + s m2 + 1} ({@code |G| < 2^30}); then {@code s m + 2^30 = G 2^30 + M 2^15 +
 *       (L & 0x7fff)} and {@code q = (G >> 1) + (M >> 16) + ((((G & 1) << 15) + (M & 0xffff)) >> 16)}.</li>
 * </ul>
 * Lanes: {@link VectorKernelFactory#INTS}, loaded from and stored to bytes of the same lane count (at
 * least 8 int lanes; with 128-bit vectors there is no 32-bit byte vector and the table kernel runs).
 */
final class BroadcastBinaryVector implements ElementPairKernel {
    private static final VectorSpecies<Integer> I = VectorKernelFactory.INTS;
    private static final int N = I.length();
    private static final VectorSpecies<Byte> B = N >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(N * 8)) : null;
    /**
     * Add's loop body (about 45 vector operations) is left partly boxed by C2 on JDK 17 once other
     * kernels have polluted the Vector API's shared type profiles (PollutedProfileAllocationTest's
     * sequence: 320 to 640 bytes per vector and 2 to 5 ns per element, slower than the table; alone it
     * ran at 0.8 ns against the table's 1.1). On JDK 25 it stays allocation-free either way. Versions in
     * between are not measured, so they keep the table for Add and Sub.
     */
    private static final boolean ADD_IN_LANES = Runtime.version().feature() >= 25;

    private final boolean add;
    /**
     * Every per-layer constant of the arithmetic as a whole vector ({@link #N} copies at its index
     * times N): loaded from this array with the species constant inside the loops, so each operand's
     * vector class is exact for C2 (scalar operands broadcast inside the API went through type
     * profiles that other kernels pollute, and boxed: ~640 bytes per vector on JDK 17).
     */
    private final int[] lanes;
    private final BroadcastBinaryFast tail;

    private static final int OFFSET1 = 0;
    private static final int OFFSET2 = N;
    private static final int K = 2 * N;
    private static final int UP = 3 * N;
    private static final int NUDGE = 4 * N;
    private static final int HIGH1 = 5 * N;
    private static final int LOW1 = 6 * N;
    private static final int HIGH2 = 7 * N;
    private static final int LOW2 = 8 * N;
    private static final int ROUND1 = 9 * N;
    private static final int NEG_ADJUST1 = 10 * N;
    private static final int SHIFT1 = 11 * N;
    private static final int ROUND2 = 12 * N;
    private static final int NEG_ADJUST2 = 13 * N;
    private static final int SHIFT2 = 14 * N;
    private static final int M0 = 15 * N;
    private static final int M1 = 16 * N;
    private static final int M2_MASK = 17 * N;
    private static final int ROUND = 18 * N;
    private static final int NEG_ADJUST = 19 * N;
    private static final int RIGHT_SHIFT = 20 * N;
    private static final int OUTPUT_OFFSET = 21 * N;
    private static final int MIN = 22 * N;
    private static final int MAX = 23 * N;

    private BroadcastBinaryVector(ElementPairFunction f) {
        tail = BroadcastBinaryFast.prepare(f);
        lanes = new int[24 * N];
        int m;
        int shift;
        if (f instanceof AddParams) {
            AddParams p = (AddParams) f;
            add = true;
            int k = 31 - p.leftShift;
            set(OFFSET1, p.input1Offset);
            set(OFFSET2, p.input2Offset);
            set(K, k);
            set(UP, 16 - k);
            set(NUDGE, 1 << (k - 1));
            set(HIGH1, p.input1Multiplier >> 16);
            set(LOW1, p.input1Multiplier & 0xffff);
            set(HIGH2, p.input2Multiplier >> 16);
            set(LOW2, p.input2Multiplier & 0xffff);
            set(ROUND1, roundOf(-p.input1Shift));
            set(NEG_ADJUST1, p.input1Shift < 0 ? -1 : 0);
            set(SHIFT1, -p.input1Shift);
            set(ROUND2, roundOf(-p.input2Shift));
            set(NEG_ADJUST2, p.input2Shift < 0 ? -1 : 0);
            set(SHIFT2, -p.input2Shift);
            m = p.outputMultiplier;
            shift = p.outputShift;
            set(OUTPUT_OFFSET, p.outputOffset);
            set(MIN, p.activationMin);
            set(MAX, p.activationMax);
        } else {
            MulParams p = (MulParams) f;
            add = false;
            set(OFFSET1, -p.input1ZeroPoint);
            set(OFFSET2, -p.input2ZeroPoint);
            m = p.multiplier;
            shift = p.shift;
            set(OUTPUT_OFFSET, p.outputZeroPoint);
            set(MIN, p.activationMin);
            set(MAX, p.activationMax);
        }
        set(M0, m & 0x7fff);
        set(M1, (m >> 15) & 0x7fff);
        set(M2_MASK, (m >> 30) != 0 ? -1 : 0);
        set(ROUND, roundOf(-shift));
        set(NEG_ADJUST, shift < 0 ? -1 : 0);
        set(RIGHT_SHIFT, -shift);
    }

    private void set(int at, int value) {
        java.util.Arrays.fill(lanes, at, at + N, value);
    }

    private static int roundOf(int rightShift) {
        return rightShift > 0 ? 1 << (rightShift - 1) : 0;
    }

    /** True when this kernel runs {@code f} exactly (see the class comment) on this JVM's vector width. */
    static boolean supports(ElementPairFunction f) {
        if (B == null) {
            return false;
        }
        if (f instanceof AddParams) {
            AddParams p = (AddParams) f;
            return ADD_IN_LANES && p.leftShift >= 15 && p.leftShift <= 20 && p.input1Multiplier != Integer.MIN_VALUE
                    && p.input2Multiplier != Integer.MIN_VALUE && p.outputMultiplier >= 0 && p.outputShift <= 0;
        }
        if (f instanceof MulParams) {
            MulParams p = (MulParams) f;
            return p.multiplier >= 0 && p.shift <= 0;
        }
        return false;
    }

    /** The vector kernel when it {@link #supports} {@code f}, else the pair table. */
    static ElementPairKernel prepare(ElementPairFunction f) {
        return supports(f) ? new BroadcastBinaryVector(f) : BroadcastBinaryFast.prepare(f);
    }

    @Override
    public void eval(ChannelBroadcast s, byte[] input1, int input1Start, byte[] input2, int input2Start, byte[] output, int outputStart) {
        if (!s.input1PerChannel && !s.input2PerChannel) {
            run(input1, input1Start, input2, input2Start, output, outputStart, s.outputSize());
            return;
        }
        final int channels = s.channels;
        int stride1 = s.input1PerChannel ? 0 : channels;
        int stride2 = s.input2PerChannel ? 0 : channels;
        for (int p = 0; p < s.pixels; p++) {
            run(input1, input1Start + p * stride1, input2, input2Start + p * stride2, output, outputStart + p * channels, channels);
        }
    }

    /** {@code length} elements of two same-shape runs. */
    private void run(byte[] in1, int a, byte[] in2, int b, byte[] out, int o, int length) {
        // Add and Mul in loops of their own (one method with both boxed more under polluted profiles on
        // JDK 17). Their shared steps (widening loads, the output stage) are written out in each: a
        // helper taking or returning a vector is boxed when C2 does not inline it.
        int done = add ? addRun(in1, a, in2, b, out, o, length) : mulRun(in1, a, in2, b, out, o, length);
        if (done < length) {
            tail.eval(in1, a + done, in2, b + done, out, o + done, length - done);
        }
    }

    /** Add over the whole vectors of the run; returns how many elements it wrote. */
    private int addRun(byte[] in1, int a, byte[] in2, int b, byte[] out, int o, int length) {
        final int[] c = lanes;
        int i = 0;
        for (; i + N <= length; i += N) {
            IntVector v1 = ((IntVector) ByteVector.fromArray(B, in1, a + i).convertShape(VectorOperators.B2I, I, 0))
                    .add(IntVector.fromArray(I, c, OFFSET1));
            IntVector v2 = ((IntVector) ByteVector.fromArray(B, in2, b + i).convertShape(VectorOperators.B2I, I, 0))
                    .add(IntVector.fromArray(I, c, OFFSET2));
            IntVector up = IntVector.fromArray(I, c, UP);
            IntVector nudge = IntVector.fromArray(I, c, NUDGE);
            IntVector kk = IntVector.fromArray(I, c, K);
            IntVector q1 = v1.mul(IntVector.fromArray(I, c, HIGH1)).lanewise(VectorOperators.LSHL, up)
                    .add(v1.mul(IntVector.fromArray(I, c, LOW1)).add(nudge).lanewise(VectorOperators.ASHR, kk));
            IntVector q2 = v2.mul(IntVector.fromArray(I, c, HIGH2)).lanewise(VectorOperators.LSHL, up)
                    .add(v2.mul(IntVector.fromArray(I, c, LOW2)).add(nudge).lanewise(VectorOperators.ASHR, kk));
            IntVector sum = q1.add(IntVector.fromArray(I, c, ROUND1))
                    .add(q1.lanewise(VectorOperators.ASHR, 31).and(IntVector.fromArray(I, c, NEG_ADJUST1)))
                    .lanewise(VectorOperators.ASHR, IntVector.fromArray(I, c, SHIFT1))
                    .add(q2.add(IntVector.fromArray(I, c, ROUND2))
                            .add(q2.lanewise(VectorOperators.ASHR, 31).and(IntVector.fromArray(I, c, NEG_ADJUST2)))
                            .lanewise(VectorOperators.ASHR, IntVector.fromArray(I, c, SHIFT2)));
            IntVector m0 = IntVector.fromArray(I, c, M0);
            IntVector m1 = IntVector.fromArray(I, c, M1);
            IntVector sh = sum.lanewise(VectorOperators.ASHR, 15);
            IntVector sl = sum.and(0x7fff);
            IntVector l = sl.mul(m0);
            IntVector m = sh.mul(m0).add(sl.mul(m1)).add(l.lanewise(VectorOperators.ASHR, 15));
            IntVector g = sh.mul(m1).add(sum.and(IntVector.fromArray(I, c, M2_MASK))).add(1);
            IntVector q = g.lanewise(VectorOperators.ASHR, 1).add(m.lanewise(VectorOperators.ASHR, 16))
                    .add(g.and(1).lanewise(VectorOperators.LSHL, 15).add(m.and(0xffff)).lanewise(VectorOperators.ASHR, 16));
            IntVector y = q.add(IntVector.fromArray(I, c, ROUND))
                    .add(q.lanewise(VectorOperators.ASHR, 31).and(IntVector.fromArray(I, c, NEG_ADJUST)))
                    .lanewise(VectorOperators.ASHR, IntVector.fromArray(I, c, RIGHT_SHIFT))
                    .add(IntVector.fromArray(I, c, OUTPUT_OFFSET)).max(IntVector.fromArray(I, c, MIN))
                    .min(IntVector.fromArray(I, c, MAX));
            ((ByteVector) y.convertShape(VectorOperators.I2B, B, 0)).intoArray(out, o + i);
        }
        return i;
    }

    /** Mul over the whole vectors of the run; returns how many elements it wrote. */
    private int mulRun(byte[] in1, int a, byte[] in2, int b, byte[] out, int o, int length) {
        final int[] c = lanes;
        int i = 0;
        for (; i + N <= length; i += N) {
            IntVector v1 = ((IntVector) ByteVector.fromArray(B, in1, a + i).convertShape(VectorOperators.B2I, I, 0))
                    .add(IntVector.fromArray(I, c, OFFSET1));
            IntVector v2 = ((IntVector) ByteVector.fromArray(B, in2, b + i).convertShape(VectorOperators.B2I, I, 0))
                    .add(IntVector.fromArray(I, c, OFFSET2));
            IntVector p = v1.mul(v2);
            IntVector aa = p.mul(IntVector.fromArray(I, c, M1))
                    .add(p.mul(IntVector.fromArray(I, c, M0)).lanewise(VectorOperators.ASHR, 15));
            IntVector q = aa.lanewise(VectorOperators.ASHR, 16).add(aa.and(0xffff)
                    .add(p.and(IntVector.fromArray(I, c, M2_MASK)).add(1).lanewise(VectorOperators.LSHL, 15))
                    .lanewise(VectorOperators.ASHR, 16));
            IntVector y = q.add(IntVector.fromArray(I, c, ROUND))
                    .add(q.lanewise(VectorOperators.ASHR, 31).and(IntVector.fromArray(I, c, NEG_ADJUST)))
                    .lanewise(VectorOperators.ASHR, IntVector.fromArray(I, c, RIGHT_SHIFT))
                    .add(IntVector.fromArray(I, c, OUTPUT_OFFSET)).max(IntVector.fromArray(I, c, MIN))
                    .min(IntVector.fromArray(I, c, MAX));
            ((ByteVector) y.convertShape(VectorOperators.I2B, B, 0)).intoArray(out, o + i);
        }
        return i;
    }
}
