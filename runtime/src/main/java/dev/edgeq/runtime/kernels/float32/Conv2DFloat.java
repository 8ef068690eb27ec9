package dev.edgeq.runtime.kernels.float32;

import dev.edgeq.runtime.kernels.ConvGeometry;

/**
 * Float reference 2-D convolution, grouped or not. Input NHWC (batch 1), weights OHWI with I the
 * input channels per group ({@link ConvGeometry#groups}), optional bias [O], output NHWC. The result
 * is clamped to [actMin, actMax] (the fused activation; +-infinity for none).
 * Accumulation order is fixed (ky, kx, ic), so results are the same on every JVM.
 */
public final class Conv2DFloat {
    private Conv2DFloat() {}

    public static void conv(ConvGeometry g, float[] input, int inOff, float[] weights, float[] bias,
                            float actMin, float actMax, float[] output, int outOff) {
        final int groupInC = g.inputC / g.groups;
        final int groupOutC = g.outputC / g.groups;
        final int kSize = g.kernelH * g.kernelW * groupInC;
        for (int oy = 0; oy < g.outputH; oy++) {
            for (int ox = 0; ox < g.outputW; ox++) {
                int outBase = outOff + (oy * g.outputW + ox) * g.outputC;
                for (int oc = 0; oc < g.outputC; oc++) {
                    float acc = bias == null ? 0f : bias[oc];
                    int firstInC = (oc / groupOutC) * groupInC;
                    int wBase = oc * kSize;
                    for (int ky = 0; ky < g.kernelH; ky++) {
                        int iy = oy * g.strideH - g.padTop + ky * g.dilationH;
                        if (iy < 0 || iy >= g.inputH) {
                            continue;
                        }
                        for (int kx = 0; kx < g.kernelW; kx++) {
                            int ix = ox * g.strideW - g.padLeft + kx * g.dilationW;
                            if (ix < 0 || ix >= g.inputW) {
                                continue;
                            }
                            int in = inOff + (iy * g.inputW + ix) * g.inputC + firstInC;
                            int w = wBase + (ky * g.kernelW + kx) * groupInC;
                            for (int ic = 0; ic < groupInC; ic++) {
                                acc += input[in + ic] * weights[w + ic];
                            }
                        }
                    }
                    output[outBase + oc] = Math.min(Math.max(acc, actMin), actMax);
                }
            }
        }
    }
}
