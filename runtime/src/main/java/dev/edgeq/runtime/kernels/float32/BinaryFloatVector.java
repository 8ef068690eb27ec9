package dev.edgeq.runtime.kernels.float32;

import dev.edgeq.runtime.kernels.ChannelBroadcast;
import dev.edgeq.runtime.kernels.int8.VectorKernelFactory;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BinaryFloat} in lanes: the same float operation and clamp per element, so the same bits
 * (NaN payloads aside). The scalar loop ran at about 3 ns per element (ResNet-18's float residual
 * additions: 2 ms per inference), its operation chosen per element and its clamp scalar. Loads and
 * stores are {@code float[]} only. Loaded only through {@code VectorSupport}.
 */
public final class BinaryFloatVector {
    private static final VectorSpecies<Float> F = VectorKernelFactory.FLOATS;
    private static final int L = F.length();

    private BinaryFloatVector() {
    }

    /** Same contract as {@link BinaryFloat#eval}. */
    public static void eval(BinaryFloat.Op op, ChannelBroadcast s, float[] a, int aOff, float[] b, int bOff,
                            float actMin, float actMax, float[] out, int outOff) {
        if (!s.input1PerChannel && !s.input2PerChannel) {
            span(op, a, aOff, b, bOff, out, outOff, s.outputSize(), actMin, actMax);
            return;
        }
        int aPixelStride = s.input1PerChannel ? 0 : s.channels;
        int bPixelStride = s.input2PerChannel ? 0 : s.channels;
        for (int p = 0; p < s.pixels; p++) {
            span(op, a, aOff + p * aPixelStride, b, bOff + p * bPixelStride, out, outOff + p * s.channels, s.channels,
                    actMin, actMax);
        }
    }

    private static void span(BinaryFloat.Op op, float[] a, int ai, float[] b, int bi, float[] out, int oi, int n,
                             float lo, float hi) {
        FloatVector vlo = FloatVector.broadcast(F, lo);
        FloatVector vhi = FloatVector.broadcast(F, hi);
        int i = 0;
        switch (op) {
            case ADD:
                for (; i + L <= n; i += L) {
                    FloatVector.fromArray(F, a, ai + i).add(FloatVector.fromArray(F, b, bi + i)).max(vlo).min(vhi)
                            .intoArray(out, oi + i);
                }
                break;
            case SUB:
                for (; i + L <= n; i += L) {
                    FloatVector.fromArray(F, a, ai + i).sub(FloatVector.fromArray(F, b, bi + i)).max(vlo).min(vhi)
                            .intoArray(out, oi + i);
                }
                break;
            default:
                for (; i + L <= n; i += L) {
                    FloatVector.fromArray(F, a, ai + i).mul(FloatVector.fromArray(F, b, bi + i)).max(vlo).min(vhi)
                            .intoArray(out, oi + i);
                }
        }
        for (; i < n; i++) {
            out[oi + i] = Math.min(Math.max(op.apply(a[ai + i], b[bi + i]), lo), hi);
        }
    }
}
