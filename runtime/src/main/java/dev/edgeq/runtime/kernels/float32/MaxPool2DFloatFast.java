package dev.edgeq.runtime.kernels.float32;

import dev.edgeq.runtime.kernels.ConvGeometry;

/**
 * Float max pooling with channels innermost: per output pixel, the first window position inside
 * the input is copied, every later one folded in with {@code Math.max} over the contiguous channels,
 * then the clamp. {@link MaxPool2DFloat} walks each channel's window in turn,
 * a strided read per value, which made ResNet-18's 3x3/2 pool 9% of its float inference. Bit-identical
 * to it: {@code Math.max} is commutative and associative over floats, NaN and signed zeros included,
 * so the order of the window positions changes no bit (MaxPool2DFloatFastTest).
 */
public final class MaxPool2DFloatFast {
    private MaxPool2DFloatFast() {}

    public static void maxPool(ConvGeometry g, float[] input, int inOff, float actMin, float actMax,
                               float[] output, int outOff) {
        final int c = g.outputC;
        for (int oy = 0; oy < g.outputH; oy++) {
            int y0 = oy * g.strideH - g.padTop;
            int yStart = Math.max(y0, 0);
            int yEnd = Math.min(y0 + g.kernelH, g.inputH);
            for (int ox = 0; ox < g.outputW; ox++) {
                int x0 = ox * g.strideW - g.padLeft;
                int xStart = Math.max(x0, 0);
                int xEnd = Math.min(x0 + g.kernelW, g.inputW);
                int out = outOff + (oy * g.outputW + ox) * c;
                if (yStart >= yEnd || xStart >= xEnd) {
                    java.util.Arrays.fill(output, out, out + c, Math.min(Math.max(Float.NEGATIVE_INFINITY, actMin), actMax));
                    continue;
                }
                System.arraycopy(input, inOff + (yStart * g.inputW + xStart) * g.inputC, output, out, c);
                for (int y = yStart; y < yEnd; y++) {
                    for (int x = y == yStart ? xStart + 1 : xStart; x < xEnd; x++) {
                        maxInto(input, inOff + (y * g.inputW + x) * g.inputC, output, out, c);
                    }
                }
                clamp(output, out, c, actMin, actMax);
            }
        }
    }

    private static void maxInto(float[] input, int from, float[] output, int to, int n) {
        for (int i = 0; i < n; i++) {
            output[to + i] = Math.max(output[to + i], input[from + i]);
        }
    }

    private static void clamp(float[] output, int from, int n, float lo, float hi) {
        for (int i = from; i < from + n; i++) {
            output[i] = Math.min(Math.max(output[i], lo), hi);
        }
    }
}
