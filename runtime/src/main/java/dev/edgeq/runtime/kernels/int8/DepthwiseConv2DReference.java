package dev.edgeq.runtime.kernels.int8;

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
        for (int b = 0; b < p.batches; b++) {
            for (int oy = 0; oy < p.outputHeight; oy++) {
                for (int ox = 0; ox < p.outputWidth; ox++) {
                    for (int ic = 0; ic < p.inputChannels; ic++) {
                        for (int m = 0; m < p.depthMultiplier; m++) {
                            int oc = ic * p.depthMultiplier + m;
                            int inY0 = oy * p.strideHeight - p.padTop;
                            int inX0 = ox * p.strideWidth - p.padLeft;
                            int acc = 0;
                            for (int ky = 0; ky < p.filterHeight; ky++) {
                                for (int kx = 0; kx < p.filterWidth; kx++) {
                                    int iy = inY0 + ky * p.dilationHeight;
                                    int ix = inX0 + kx * p.dilationWidth;
                                    if (iy >= 0 && iy < p.inputHeight && ix >= 0 && ix < p.inputWidth) {
                                        int x = input[inputStart + ((b * p.inputHeight + iy) * p.inputWidth + ix) * p.inputChannels + ic];
                                        int w = filter[filterStart + (ky * p.filterWidth + kx) * p.outputChannels + oc];
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
}
