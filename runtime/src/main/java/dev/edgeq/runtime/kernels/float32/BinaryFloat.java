package dev.edgeq.runtime.kernels.float32;

import dev.edgeq.runtime.kernels.ChannelBroadcast;

/** Float Add, Sub and Mul of two activations, one possibly a per-channel gate ({@link ChannelBroadcast}). */
public final class BinaryFloat {
    private BinaryFloat() {}

    /** The element-wise operation. */
    public enum Op {
        ADD, SUB, MUL;

        float apply(float a, float b) {
            switch (this) {
                case ADD:
                    return a + b;
                case SUB:
                    return a - b;
                default:
                    return a * b;
            }
        }
    }

    /** {@code out = clamp(a op b, actMin, actMax)} (+-infinity for no fused activation). */
    public static void eval(Op op, ChannelBroadcast s, float[] a, int aOff, float[] b, int bOff, float actMin, float actMax,
                            float[] out, int outOff) {
        int aPixelStride = s.input1PerChannel ? 0 : s.channels;
        int bPixelStride = s.input2PerChannel ? 0 : s.channels;
        for (int p = 0; p < s.pixels; p++) {
            int ai = aOff + p * aPixelStride;
            int bi = bOff + p * bPixelStride;
            int oi = outOff + p * s.channels;
            for (int c = 0; c < s.channels; c++) {
                out[oi + c] = Math.min(Math.max(op.apply(a[ai + c], b[bi + c]), actMin), actMax);
            }
        }
    }
}
