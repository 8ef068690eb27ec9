package dev.edgeq.runtime.kernels.int8;

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
        int groupInC = p.groupInputChannels();
        int groupOutC = p.outputChannels / p.groups;
        for (int b = 0; b < p.batches; b++) {
            for (int oy = 0; oy < p.outputHeight; oy++) {
                for (int ox = 0; ox < p.outputWidth; ox++) {
                    int inY0 = oy * p.strideHeight - p.padTop;
                    int inX0 = ox * p.strideWidth - p.padLeft;
                    for (int oc = 0; oc < p.outputChannels; oc++) {
                        int firstInC = (oc / groupOutC) * groupInC;
                        int acc = 0;
                        for (int ky = 0; ky < p.filterHeight; ky++) {
                            int iy = inY0 + ky * p.dilationHeight;
                            for (int kx = 0; kx < p.filterWidth; kx++) {
                                int ix = inX0 + kx * p.dilationWidth;
                                boolean inside = iy >= 0 && iy < p.inputHeight && ix >= 0 && ix < p.inputWidth;
                                if (!inside) {
                                    continue; // padding contributes nothing
                                }
                                for (int ic = 0; ic < groupInC; ic++) {
                                    int x = input[inputStart + ((b * p.inputHeight + iy) * p.inputWidth + ix) * p.inputChannels + firstInC + ic];
                                    int w = filter[filterStart + ((oc * p.filterHeight + ky) * p.filterWidth + kx) * groupInC + ic];
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
                        output[outputStart + ((b * p.outputHeight + oy) * p.outputWidth + ox) * p.outputChannels + oc] = (byte) acc;
                    }
                }
            }
        }
    }
}
