package dev.edgeq.runtime.kernels.float32;

import dev.edgeq.runtime.kernels.ConvGeometry;

/**
 * Float reference average pooling. The divisor is the number of window positions inside the
 * input, or, with {@code countIncludePad}, the window clipped to
 * {@code [-padTop, inputH + padBottom)} x {@code [-padLeft, inputW + padRight)} (ONNX's
 * count_include_pad=1, where a ceil_mode window reaching past the padding is not counted beyond it).
 */
public final class AveragePool2DFloat {
    private AveragePool2DFloat() {}

    public static void averagePool(ConvGeometry g, boolean countIncludePad, float[] input, int inOff,
                                   float actMin, float actMax, float[] output, int outOff) {
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
                int out = outOff + (oy * g.outputW + ox) * g.outputC;
                for (int c = 0; c < g.outputC; c++) {
                    // Summed in double: a global pool over 112x112 values in float loses digits, which
                    // EfficientNet's squeeze-excitation gates amplified into a 4e-4 difference in its logits.
                    double sum = 0.0;
                    for (int y = yStart; y < yEnd; y++) {
                        for (int x = xStart; x < xEnd; x++) {
                            sum += input[inOff + (y * g.inputW + x) * g.inputC + c];
                        }
                    }
                    float avg = count > 0 ? (float) (sum / count) : 0f;
                    output[out + c] = Math.min(Math.max(avg, actMin), actMax);
                }
            }
        }
    }
}
