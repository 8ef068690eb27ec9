package dev.edgeq.runtime.kernels.int8;

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
        for (int b = 0; b < p.batches; b++) {
            for (int oy = 0; oy < p.outputHeight; oy++) {
                for (int ox = 0; ox < p.outputWidth; ox++) {
                    for (int c = 0; c < p.channels; c++) {
                        int sum = 0;
                        int insideCount = 0;
                        int paddedCount = 0;
                        for (int ky = 0; ky < p.filterHeight; ky++) {
                            for (int kx = 0; kx < p.filterWidth; kx++) {
                                int iy = oy * p.strideHeight - p.padTop + ky;
                                int ix = ox * p.strideWidth - p.padLeft + kx;
                                if (iy >= 0 && iy < p.inputHeight && ix >= 0 && ix < p.inputWidth) {
                                    sum += input[inputStart + ((b * p.inputHeight + iy) * p.inputWidth + ix) * p.channels + c];
                                    insideCount++;
                                }
                                boolean insidePadded = iy >= -p.padTop && iy < p.inputHeight + p.padBottom
                                        && ix >= -p.padLeft && ix < p.inputWidth + p.padRight;
                                if (insidePadded) {
                                    paddedCount++;
                                }
                            }
                        }
                        int count = p.countIncludePad ? paddedCount : insideCount;
                        int average = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
                        average = Math.max(average, p.activationMin);
                        average = Math.min(average, p.activationMax);
                        output[outputStart + ((b * p.outputHeight + oy) * p.outputWidth + ox) * p.channels + c] = (byte) average;
                    }
                }
            }
        }
    }
}
