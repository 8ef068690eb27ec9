package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.ConvGeometry;

import dev.edgeq.runtime.quant.QuantizedMultiplier;

/**
 * Reference int8 depthwise convolution: TFLite's {@code reference_integer_ops::DepthwiseConvPerChannel}
 * as plain loops (the oracle; never optimize it). Filter layout 1HWO, output channel
 * {@code ic * depthMultiplier + m} reads input channel {@code ic}; see {@link ConvParams}.
 */
public final class DepthwiseConv2DReference {
    private DepthwiseConv2DReference() {
    }

    /**
     * @param filter 1HWO int8 filter from {@code filterStart}
     * @param bias int32 per output channel from {@code biasStart}, or null for no bias
     */
    public static void eval(ConvParams p, byte[] input, int inputStart, byte[] filter, int filterStart,
                            int[] bias, int biasStart, byte[] output, int outputStart) {
        ConvGeometry g = p.geometry;
        for (int b = 0; b < g.batches; b++) {
            for (int oy = 0; oy < g.outputH; oy++) {
                for (int ox = 0; ox < g.outputW; ox++) {
                    for (int ic = 0; ic < g.inputC; ic++) {
                        for (int m = 0; m < g.depthMultiplier; m++) {
                            int oc = ic * g.depthMultiplier + m;
                            int inY0 = oy * g.strideH - g.padTop;
                            int inX0 = ox * g.strideW - g.padLeft;
                            int acc = 0;
                            for (int ky = 0; ky < g.kernelH; ky++) {
                                for (int kx = 0; kx < g.kernelW; kx++) {
                                    int iy = inY0 + ky * g.dilationH;
                                    int ix = inX0 + kx * g.dilationW;
                                    if (iy >= 0 && iy < g.inputH && ix >= 0 && ix < g.inputW) {
                                        int x = input[inputStart + ((b * g.inputH + iy) * g.inputW + ix) * g.inputC + ic];
                                        int w = filter[filterStart + (ky * g.kernelW + kx) * g.outputC + oc];
                                        acc += w * (x + p.inputOffset);
                                    }
                                }
                            }
                            if (bias != null) {
                                acc += bias[biasStart + oc];
                            }
                            acc = QuantizedMultiplier.multiplyByQuantizedMultiplier(acc, p.multiplier(oc), p.shift(oc));
                            acc += p.outputOffset;
                            acc = Math.max(acc, p.activationMin);
                            acc = Math.min(acc, p.activationMax);
                            output[outputStart + ((b * g.outputH + oy) * g.outputW + ox) * g.outputC + oc] = (byte) acc;
                        }
                    }
                }
            }
        }
    }
}
