package dev.edgeq.runtime.kernels.int8;

/**
 * Reference int8 max pooling (TFLite's {@code reference_integer_ops::MaxPool}, plain loops, the
 * oracle; never optimize it). Also GlobalMaxPool via {@link PoolParams#global}.
 */
public final class MaxPool2DReference {
    private MaxPool2DReference() {
    }

    public static void eval(PoolParams p, byte[] input, int inputStart, byte[] output, int outputStart) {
        for (int b = 0; b < p.batches; b++) {
            for (int oy = 0; oy < p.outputHeight; oy++) {
                for (int ox = 0; ox < p.outputWidth; ox++) {
                    for (int c = 0; c < p.channels; c++) {
                        int max = Integer.MIN_VALUE;
                        for (int ky = 0; ky < p.filterHeight; ky++) {
                            for (int kx = 0; kx < p.filterWidth; kx++) {
                                int iy = oy * p.strideHeight - p.padTop + ky;
                                int ix = ox * p.strideWidth - p.padLeft + kx;
                                if (iy >= 0 && iy < p.inputHeight && ix >= 0 && ix < p.inputWidth) {
                                    int x = input[inputStart + ((b * p.inputHeight + iy) * p.inputWidth + ix) * p.channels + c];
                                    max = Math.max(max, x);
                                }
                            }
                        }
                        max = Math.max(max, p.activationMin);
                        max = Math.min(max, p.activationMax);
                        output[outputStart + ((b * p.outputHeight + oy) * p.outputWidth + ox) * p.channels + c] = (byte) max;
                    }
                }
            }
        }
    }
}
