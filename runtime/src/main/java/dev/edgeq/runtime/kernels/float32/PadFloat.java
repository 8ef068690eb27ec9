package dev.edgeq.runtime.kernels.float32;

/** Constant padding of an NHWC tensor (batch 1) with {@code value}. */
public final class PadFloat {
    private PadFloat() {}

    public static void pad(int inH, int inW, int channels, int top, int left, int bottom, int right, float value,
                           float[] input, int inOff, float[] output, int outOff) {
        int outW = inW + left + right;
        int outH = inH + top + bottom;
        java.util.Arrays.fill(output, outOff, outOff + outH * outW * channels, value);
        for (int y = 0; y < inH; y++) {
            System.arraycopy(input, inOff + y * inW * channels, output,
                    outOff + ((y + top) * outW + left) * channels, inW * channels);
        }
    }
}
