package dev.edgeq.runtime.kernels.float32;

import dev.edgeq.runtime.kernels.ConvGeometry;

/**
 * Float reference depthwise convolution. Input NHWC, weights [1, KH, KW, O] with
 * O = C * depthMultiplier (output channel oc reads input channel oc / depthMultiplier),
 * optional bias [O], output clamped to [actMin, actMax].
 */
public final class DepthwiseConv2DFloat {
    private DepthwiseConv2DFloat() {}

    public static void conv(ConvGeometry g, float[] input, int inOff, float[] weights, float[] bias,
                            float actMin, float actMax, float[] output, int outOff) {
        for (int oy = 0; oy < g.outputH; oy++) {
            for (int ox = 0; ox < g.outputW; ox++) {
                int outBase = outOff + (oy * g.outputW + ox) * g.outputC;
                for (int oc = 0; oc < g.outputC; oc++) {
                    int ic = oc / g.depthMultiplier;
                    float acc = bias == null ? 0f : bias[oc];
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
                            acc += input[inOff + (iy * g.inputW + ix) * g.inputC + ic]
                                    * weights[(ky * g.kernelW + kx) * g.outputC + oc];
                        }
                    }
                    output[outBase + oc] = Math.min(Math.max(acc, actMin), actMax);
                }
            }
        }
    }
}
