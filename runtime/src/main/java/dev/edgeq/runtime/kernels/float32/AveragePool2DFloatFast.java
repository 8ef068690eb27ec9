package dev.edgeq.runtime.kernels.float32;

import dev.edgeq.runtime.kernels.ConvGeometry;

/**
 * {@link AveragePool2DFloat} with channels innermost: per output pixel the window's positions are
 * added, in the reference's order (row by row), into one double per channel, then divided and
 * clamped as the reference does, so the bits are the reference's. The reference walks each
 * channel's window in turn, a strided read per value and one serial chain of double additions
 * per channel (EfficientNet-B0's float global pools: 3.1 ms per inference); here the channels'
 * additions are independent and the reads contiguous.
 *
 * <p>{@code sums} holds at least {@code outputC} doubles; owned by the caller (one per prepared
 * operator), its content undefined before and after.
 */
public final class AveragePool2DFloatFast {
    private AveragePool2DFloatFast() {}

    public static void averagePool(ConvGeometry g, boolean countIncludePad, float[] input, int inOff,
                                   float actMin, float actMax, float[] output, int outOff, double[] sums) {
        final int c = g.outputC;
        for (int oy = 0; oy < g.outputH; oy++) {
            int y0 = oy * g.strideH - g.padTop;
            int yStart = Math.max(y0, 0);
            int yEnd = Math.min(y0 + g.kernelH, g.inputH);
            int yCount = countIncludePad ? Math.min(y0 + g.kernelH, g.inputH + g.padBottom) - y0 : yEnd - yStart;
            for (int ox = 0; ox < g.outputW; ox++) {
                int x0 = ox * g.strideW - g.padLeft;
                int xStart = Math.max(x0, 0);
                int xEnd = Math.min(x0 + g.kernelW, g.inputW);
                int xCount = countIncludePad ? Math.min(x0 + g.kernelW, g.inputW + g.padRight) - x0 : xEnd - xStart;
                int count = yCount * xCount;
                java.util.Arrays.fill(sums, 0, c, 0.0);
                for (int y = yStart; y < yEnd; y++) {
                    for (int x = xStart; x < xEnd; x++) {
                        add(input, inOff + (y * g.inputW + x) * g.inputC, sums, c);
                    }
                }
                int out = outOff + (oy * g.outputW + ox) * c;
                for (int ch = 0; ch < c; ch++) {
                    float avg = count > 0 ? (float) (sums[ch] / count) : 0f;
                    output[out + ch] = Math.min(Math.max(avg, actMin), actMax);
                }
            }
        }
    }

    private static void add(float[] input, int from, double[] sums, int n) {
        for (int i = 0; i < n; i++) {
            sums[i] += input[from + i];
        }
    }
}
