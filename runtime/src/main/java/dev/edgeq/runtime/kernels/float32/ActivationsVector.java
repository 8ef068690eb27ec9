package dev.edgeq.runtime.kernels.float32;

import static dev.edgeq.runtime.kernels.float32.FastActivations.CLAMP;
import static dev.edgeq.runtime.kernels.float32.FastActivations.LN2_HI;
import static dev.edgeq.runtime.kernels.float32.FastActivations.LN2_LO;
import static dev.edgeq.runtime.kernels.float32.FastActivations.LOG2E;
import static dev.edgeq.runtime.kernels.float32.FastActivations.P0;
import static dev.edgeq.runtime.kernels.float32.FastActivations.P1;
import static dev.edgeq.runtime.kernels.float32.FastActivations.P2;
import static dev.edgeq.runtime.kernels.float32.FastActivations.P3;
import static dev.edgeq.runtime.kernels.float32.FastActivations.P4;
import static dev.edgeq.runtime.kernels.float32.FastActivations.P5;
import static dev.edgeq.runtime.kernels.float32.FastActivations.ROUND;
import static dev.edgeq.runtime.kernels.float32.FastActivations.ROUND_BITS;

import dev.edgeq.runtime.kernels.int8.VectorKernelFactory;
import dev.edgeq.runtime.kernels.int8.VectorSupport;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
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
    private static final int L = F.length();

    private ActivationsVector() {
    }

    /** Same contract as {@link FastActivations#sigmoid(int, float[], int, float[], int)}. */
    public static void sigmoid(int n, float[] in, int inOff, float[] out, int outOff) {
        int i = 0;
        for (; i + L <= n; i += L) {
            eval(FloatVector.fromArray(F, in, inOff + i), false).intoArray(out, outOff + i);
        }
        FastActivations.sigmoid(n - i, in, inOff + i, out, outOff + i);
    }

    /** Same contract as {@link FastActivations#silu(int, float[], int, float[], int)}. */
    public static void silu(int n, float[] in, int inOff, float[] out, int outOff) {
        int i = 0;
        for (; i + L <= n; i += L) {
            eval(FloatVector.fromArray(F, in, inOff + i), true).intoArray(out, outOff + i);
        }
        FastActivations.silu(n - i, in, inOff + i, out, outOff + i);
    }

    private static FloatVector eval(FloatVector x, boolean silu) {
        FloatVector y = x.abs().neg().max(CLAMP);
        FloatVector t = y.mul(LOG2E).add(ROUND);
        FloatVector n = t.sub(ROUND);
        IntVector k = ((IntVector) t.reinterpretAsInts()).sub(ROUND_BITS);
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = (FloatVector) k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = (FloatVector) k.sub(k1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector r = y.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
        FloatVector p = r.mul(P0).add(P1);
        p = p.mul(r).add(P2);
        p = p.mul(r).add(P3);
        p = p.mul(r).add(P4);
        p = p.mul(r).add(P5);
        p = p.mul(r.mul(r)).add(r).add(1f);
        FloatVector q = p.mul(s1);
        FloatVector d = q.mul(s2).add(1f);
        VectorMask<Float> positive = x.compare(VectorOperators.GE, 0f);
        FloatVector num = silu ? y.mul(q).blend(x, positive) : q.blend(1f, positive);
        return num.div(d).mul(s2.blend(1f, positive));
    }
}
