package dev.edgeq.runtime.kernels.float32;

import dev.edgeq.runtime.kernels.ConvGeometry;

/** Float reference max pooling: the max over the window positions inside the input. */
public final class MaxPool2DFloat {
    private MaxPool2DFloat() {}

    public static void maxPool(ConvGeometry g, float[] input, int inOff, float actMin, float actMax,
                               float[] output, int outOff) {
        for (int oy = 0; oy < g.outputH; oy++) {
            int y0 = oy * g.strideH - g.padTop;
            int yStart = Math.max(y0, 0);
            int yEnd = Math.min(y0 + g.kernelH, g.inputH);
            for (int ox = 0; ox < g.outputW; ox++) {
                int x0 = ox * g.strideW - g.padLeft;
                int xStart = Math.max(x0, 0);
                int xEnd = Math.min(x0 + g.kernelW, g.inputW);
                int out = outOff + (oy * g.outputW + ox) * g.outputC;
                for (int c = 0; c < g.outputC; c++) {
                    float max = Float.NEGATIVE_INFINITY;
                    for (int y = yStart; y < yEnd; y++) {
                        for (int x = xStart; x < xEnd; x++) {
                            max = Math.max(max, input[inOff + (y * g.inputW + x) * g.inputC + c]);
                        }
                    }
                    output[out + c] = Math.min(Math.max(max, actMin), actMax);
                }
            }
        }
    }
}
