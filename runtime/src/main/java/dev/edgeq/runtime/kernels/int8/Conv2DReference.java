package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.ConvGeometry;

import dev.edgeq.runtime.quant.QuantizedMultiplier;

/**
 * Reference int8 2-D convolution: TFLite's {@code reference_integer_ops::ConvPerChannel} (which also
 * takes groups: output channel oc reads the input channels of group {@code oc / (O / groups)}), written as
 * plain loops. It is the oracle for the fast kernels: keep it slow and obvious, never optimize it.
 * Layouts and arithmetic: {@link ConvParams}.
 */
public final class Conv2DReference {
    private Conv2DReference() {
    }

    /**
     * @param filter OHWI int8 filter from {@code filterStart}
     * @param bias int32 per output channel from {@code biasStart}, or null for no bias
     */
    public static void eval(ConvParams p, byte[] input, int inputStart, byte[] filter, int filterStart,
                            int[] bias, int biasStart, byte[] output, int outputStart) {
        ConvGeometry g = p.geometry;
        int groupInC = g.groupInputChannels();
        int groupOutC = g.outputC / g.groups;
        for (int b = 0; b < g.batches; b++) {
            for (int oy = 0; oy < g.outputH; oy++) {
                for (int ox = 0; ox < g.outputW; ox++) {
                    int inY0 = oy * g.strideH - g.padTop;
                    int inX0 = ox * g.strideW - g.padLeft;
                    for (int oc = 0; oc < g.outputC; oc++) {
                        int firstInC = (oc / groupOutC) * groupInC;
                        int acc = 0;
                        for (int ky = 0; ky < g.kernelH; ky++) {
                            int iy = inY0 + ky * g.dilationH;
                            for (int kx = 0; kx < g.kernelW; kx++) {
                                int ix = inX0 + kx * g.dilationW;
                                boolean inside = iy >= 0 && iy < g.inputH && ix >= 0 && ix < g.inputW;
                                if (!inside) {
                                    continue; // padding contributes nothing
                                }
                                for (int ic = 0; ic < groupInC; ic++) {
                                    int x = input[inputStart + ((b * g.inputH + iy) * g.inputW + ix) * g.inputC + firstInC + ic];
                                    int w = filter[filterStart + ((oc * g.kernelH + ky) * g.kernelW + kx) * groupInC + ic];
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
