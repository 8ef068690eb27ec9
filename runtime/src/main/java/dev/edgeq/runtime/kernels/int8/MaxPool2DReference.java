package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.ConvGeometry;

/**
 * Reference int8 max pooling (TFLite's {@code reference_integer_ops::MaxPool}, plain loops, the
 * oracle; never optimize it). Also GlobalMaxPool via {@link PoolParams#global}.
 */
public final class MaxPool2DReference {
    private MaxPool2DReference() {
    }

    public static void eval(PoolParams p, byte[] input, int inputStart, byte[] output, int outputStart) {
        ConvGeometry g = p.geometry;
        for (int b = 0; b < g.batches; b++) {
            for (int oy = 0; oy < g.outputH; oy++) {
                for (int ox = 0; ox < g.outputW; ox++) {
                    for (int c = 0; c < g.inputC; c++) {
                        int max = Integer.MIN_VALUE;
                        for (int ky = 0; ky < g.kernelH; ky++) {
                            for (int kx = 0; kx < g.kernelW; kx++) {
                                int iy = oy * g.strideH - g.padTop + ky;
                                int ix = ox * g.strideW - g.padLeft + kx;
                                if (iy >= 0 && iy < g.inputH && ix >= 0 && ix < g.inputW) {
                                    int x = input[inputStart + ((b * g.inputH + iy) * g.inputW + ix) * g.inputC + c];
                                    max = Math.max(max, x);
                                }
                            }
                        }
                        max = Math.max(max, p.activationMin);
                        max = Math.min(max, p.activationMax);
                        output[outputStart + ((b * g.outputH + oy) * g.outputW + ox) * g.inputC + c] = (byte) max;
                    }
                }
            }
        }
    }
}
