package dev.edgeq.runtime.kernels.float32;

import static dev.edgeq.runtime.kernels.float32.FastActivations.CLAMP;
import static dev.edgeq.runtime.kernels.float32.FastActivations.LN2_HI;
import static dev.edgeq.runtime.kernels.float32.FastActivations.LN2_LO;
import static dev.edgeq.runtime.kernels.float32.FastActivations.LOG2E;
import static dev.edgeq.runtime.kernels.float32.FastActivations.ONE_BITS;
import static dev.edgeq.runtime.kernels.float32.FastActivations.P0;
import static dev.edgeq.runtime.kernels.float32.FastActivations.P1;
import static dev.edgeq.runtime.kernels.float32.FastActivations.P2;
import static dev.edgeq.runtime.kernels.float32.FastActivations.P3;
import static dev.edgeq.runtime.kernels.float32.FastActivations.P4;
import static dev.edgeq.runtime.kernels.float32.FastActivations.P5;
import static dev.edgeq.runtime.kernels.float32.FastActivations.ROUND;
import static dev.edgeq.runtime.kernels.float32.FastActivations.ROUND_BITS;
import static dev.edgeq.runtime.kernels.float32.FastActivations.SIGN_BIT;

import dev.edgeq.runtime.kernels.int8.VectorKernelFactory;
import dev.edgeq.runtime.kernels.int8.VectorSupport;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API Sigmoid and SiLU: {@link FastActivations}' float operations in its order, lane by lane
 * (separate multiplies and adds, never FMA; the lane's float bits moved to ints and back for the
 * power-of-two factors), so the results equal the scalar twin's bit for bit (NaN payloads aside)
 * at any vector width; elements past the last whole vector run the twin itself.
 *
 * <p>Loaded only through {@link VectorSupport} (mentions {@code jdk.incubator.vector}).
 */
public final class ActivationsVector {
    /** Same width as the other vector kernels ({@code -Dedgeq.vectorBits}). */
    private static final VectorSpecies<Float> F = VectorKernelFactory.FLOATS;
    /** Int lanes of the same shape, for the float bits. */
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    private static final int L = F.length();

    private ActivationsVector() {
    }

    /** Same contract as {@link FastActivations#sigmoid(int, float[], int, float[], int)}. */
    public static void sigmoid(int n, float[] in, int inOff, float[] out, int outOff) {
        apply(false, n, in, inOff, out, outOff);
        int i = n / L * L;
        FastActivations.sigmoid(n - i, in, inOff + i, out, outOff + i);
    }

    /** Same contract as {@link FastActivations#silu(int, float[], int, float[], int)}. */
    public static void silu(int n, float[] in, int inOff, float[] out, int outOff) {
        apply(true, n, in, inOff, out, outOff);
        int i = n / L * L;
        FastActivations.silu(n - i, in, inOff + i, out, outOff + i);
    }

    /**
     * The whole vectors of the input. One loop with the arithmetic inline: a vector passed to or
     * returned from a method C2 does not inline is boxed. Every vector comes from a species constant
     * (fromArray, broadcast, reinterpretShape) and every operation takes vectors, not scalars: the
     * scalar forms ({@code and(int)}, {@code lanewise(op, int)}) dispatch on a type profile that the
     * other kernels' vector classes pollute (Int256Vector beside Int512Vector), and C2 then merges
     * two classes and boxes (measured: 16 KB per 1000 elements after the int8 kernels had run). The
     * sign choice is integer bit arithmetic, as in the twin, rather than a mask.
     */
    private static void apply(boolean silu, int n, float[] in, int inOff, float[] out, int outOff) {
        IntVector sign = IntVector.broadcast(I, SIGN_BIT);
        IntVector roundBits = IntVector.broadcast(I, ROUND_BITS);
        IntVector bias = IntVector.broadcast(I, 127);
        IntVector one = IntVector.broadcast(I, ONE_BITS);
        IntVector shift1 = IntVector.broadcast(I, 1);
        IntVector shift23 = IntVector.broadcast(I, 23);
        IntVector shift31 = IntVector.broadcast(I, 31);
        FloatVector clamp = FloatVector.broadcast(F, CLAMP);
        FloatVector log2e = FloatVector.broadcast(F, LOG2E);
        FloatVector round = FloatVector.broadcast(F, ROUND);
        FloatVector ln2Hi = FloatVector.broadcast(F, LN2_HI);
        FloatVector ln2Lo = FloatVector.broadcast(F, LN2_LO);
        FloatVector p0 = FloatVector.broadcast(F, P0);
        FloatVector p1 = FloatVector.broadcast(F, P1);
        FloatVector p2 = FloatVector.broadcast(F, P2);
        FloatVector p3 = FloatVector.broadcast(F, P3);
        FloatVector p4 = FloatVector.broadcast(F, P4);
        FloatVector p5 = FloatVector.broadcast(F, P5);
        FloatVector oneF = FloatVector.broadcast(F, 1f);
        FloatVector minusZero = FloatVector.broadcast(F, -0f);
        // Sigmoid or SiLU by a loop-invariant bit mask rather than a branch: a value chosen by a branch
        // is a merge of two vectors, which C2 boxes when a polluted profile leaves their class unsure.
        IntVector siluMask = IntVector.broadcast(I, silu ? -1 : 0);
        for (int i = 0; i + L <= n; i += L) {
            FloatVector x = FloatVector.fromArray(F, in, inOff + i);
            IntVector xBits = (IntVector) x.reinterpretShape(I, 0);
            FloatVector y = ((FloatVector) xBits.lanewise(VectorOperators.OR, sign).reinterpretShape(F, 0))
                    .lanewise(VectorOperators.MAX, clamp);
            FloatVector t = y.lanewise(VectorOperators.MUL, log2e).lanewise(VectorOperators.ADD, round);
            FloatVector nf = t.lanewise(VectorOperators.SUB, round);
            IntVector k = ((IntVector) t.reinterpretShape(I, 0)).lanewise(VectorOperators.SUB, roundBits);
            IntVector k1 = k.lanewise(VectorOperators.ASHR, shift1);
            FloatVector s1 = (FloatVector) k1.lanewise(VectorOperators.ADD, bias).lanewise(VectorOperators.LSHL, shift23)
                    .reinterpretShape(F, 0);
            IntVector s2 = k.lanewise(VectorOperators.SUB, k1).lanewise(VectorOperators.ADD, bias)
                    .lanewise(VectorOperators.LSHL, shift23);
            FloatVector r = y.lanewise(VectorOperators.SUB, nf.lanewise(VectorOperators.MUL, ln2Hi))
                    .lanewise(VectorOperators.SUB, nf.lanewise(VectorOperators.MUL, ln2Lo));
            FloatVector p = r.lanewise(VectorOperators.MUL, p0).lanewise(VectorOperators.ADD, p1);
            p = p.lanewise(VectorOperators.MUL, r).lanewise(VectorOperators.ADD, p2);
            p = p.lanewise(VectorOperators.MUL, r).lanewise(VectorOperators.ADD, p3);
            p = p.lanewise(VectorOperators.MUL, r).lanewise(VectorOperators.ADD, p4);
            p = p.lanewise(VectorOperators.MUL, r).lanewise(VectorOperators.ADD, p5);
            p = p.lanewise(VectorOperators.MUL, r.lanewise(VectorOperators.MUL, r)).lanewise(VectorOperators.ADD, r)
                    .lanewise(VectorOperators.ADD, oneF);
            FloatVector q = p.lanewise(VectorOperators.MUL, s1);
            FloatVector d = q.lanewise(VectorOperators.MUL, (FloatVector) s2.reinterpretShape(F, 0))
                    .lanewise(VectorOperators.ADD, oneF);
            IntVector negative = xBits.lanewise(VectorOperators.ASHR, shift31);
            // SiLU: num = x < 0 ? y q : x; sigmoid: x < 0 ? 1 q : 1 (as the twin: y q or q, bit for bit).
            IntVector other = xBits.lanewise(VectorOperators.XOR, one).lanewise(VectorOperators.AND, siluMask)
                    .lanewise(VectorOperators.XOR, one);
            FloatVector factor = (FloatVector) ((IntVector) y.reinterpretShape(I, 0)).lanewise(VectorOperators.XOR, one)
                    .lanewise(VectorOperators.AND, siluMask).lanewise(VectorOperators.XOR, one).reinterpretShape(F, 0);
            IntVector num = (IntVector) factor.lanewise(VectorOperators.MUL, q).reinterpretShape(I, 0);
            num = num.lanewise(VectorOperators.XOR, other).lanewise(VectorOperators.AND, negative)
                    .lanewise(VectorOperators.XOR, other);
            IntVector post = s2.lanewise(VectorOperators.XOR, one).lanewise(VectorOperators.AND, negative)
                    .lanewise(VectorOperators.XOR, one);
            FloatVector result = ((FloatVector) num.reinterpretShape(F, 0)).lanewise(VectorOperators.DIV, d)
                    .lanewise(VectorOperators.MUL, (FloatVector) post.reinterpretShape(F, 0));
            // -0 + result is result, bit for bit (NaN stays NaN): it only gives the stored vector a
            // receiver whose class C2 knows without a profile; intoArray needs that constant, else
            // it boxes once other kernels ran (measured: 96 bytes per vector after the bundled models).
            minusZero.lanewise(VectorOperators.ADD, result).intoArray(out, outOff + i);
        }
    }
}
