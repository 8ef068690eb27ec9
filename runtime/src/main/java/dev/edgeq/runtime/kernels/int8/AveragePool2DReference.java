package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.ConvGeometry;

/**
 * Reference int8 average pooling (TFLite's {@code reference_integer_ops::AveragePool} plus the ONNX
 * {@code count_include_pad} divisor; plain loops, the oracle; never optimize it). Also
 * GlobalAveragePool via {@link PoolParams#global}. Rounding: {@code sum > 0 ? (sum + count/2) / count
 * : (sum - count/2) / count} with truncating division, i.e. half away from zero.
 */
public final class AveragePool2DReference {
    private AveragePool2DReference() {
    }

    public static void eval(PoolParams p, byte[] input, int inputStart, byte[] output, int outputStart) {
        ConvGeometry g = p.geometry;
        for (int b = 0; b < g.batches; b++) {
            for (int oy = 0; oy < g.outputH; oy++) {
                for (int ox = 0; ox < g.outputW; ox++) {
                    for (int c = 0; c < g.inputC; c++) {
                        int sum = 0;
                        int insideCount = 0;
                        int paddedCount = 0;
                        for (int ky = 0; ky < g.kernelH; ky++) {
                            for (int kx = 0; kx < g.kernelW; kx++) {
                                int iy = oy * g.strideH - g.padTop + ky;
                                int ix = ox * g.strideW - g.padLeft + kx;
                                if (iy >= 0 && iy < g.inputH && ix >= 0 && ix < g.inputW) {
                                    sum += input[inputStart + ((b * g.inputH + iy) * g.inputW + ix) * g.inputC + c];
                                    insideCount++;
                                }
                                boolean insidePadded = iy >= -g.padTop && iy < g.inputH + g.padBottom
                                        && ix >= -g.padLeft && ix < g.inputW + g.padRight;
                                if (insidePadded) {
                                    paddedCount++;
                                }
                            }
                        }
                        int count = p.countIncludePad ? paddedCount : insideCount;
                        int average = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
                        average = Math.max(average, p.activationMin);
                        average = Math.min(average, p.activationMax);
                        output[outputStart + ((b * g.outputH + oy) * g.outputW + ox) * g.inputC + c] = (byte) average;
                    }
                }
            }
        }
    }
}
