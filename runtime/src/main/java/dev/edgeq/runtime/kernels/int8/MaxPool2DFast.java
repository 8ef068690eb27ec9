package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.ConvGeometry;

/**
 * Fast int8 max pooling, bit-exact with {@link MaxPool2DReference}: window bounds clipped to the
 * input once per output pixel (no per-position tests), channels innermost.
 *
 * <p>Scratch: {@code channels} ints.
 */
public final class MaxPool2DFast implements Int8Kernel {
    private final PoolParams p;

    private MaxPool2DFast(PoolParams p) {
        this.p = p;
    }

    public static MaxPool2DFast prepare(PoolParams p) {
        return new MaxPool2DFast(p);
    }

    public static int scratchSize(PoolParams p) {
        return p.geometry.inputC;
    }

    @Override
    public int scratchInts() {
        return p.geometry.inputC;
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart,
                     float[] floatScratch, int floatScratchStart) {
        final PoolParams p = this.p;
        final ConvGeometry g = p.geometry;
        final int ch = g.inputC;
        final int acc = scratchStart;
        int out = outputStart;
        for (int b = 0; b < g.batches; b++) {
            int batchBase = inputStart + b * g.inputH * g.inputW * ch;
            for (int oy = 0; oy < g.outputH; oy++) {
                int y0 = oy * g.strideH - g.padTop;
                int yStart = Math.max(y0, 0);
                int yEnd = Math.min(y0 + g.kernelH, g.inputH);
                for (int ox = 0; ox < g.outputW; ox++) {
                    int x0 = ox * g.strideW - g.padLeft;
                    int xStart = Math.max(x0, 0);
                    int xEnd = Math.min(x0 + g.kernelW, g.inputW);
                    // Every window holds at least one input value (validated), all >= -128.
                    java.util.Arrays.fill(scratch, acc, acc + ch, -128);
                    for (int iy = yStart; iy < yEnd; iy++) {
                        for (int ix = xStart; ix < xEnd; ix++) {
                            int src = batchBase + (iy * g.inputW + ix) * ch;
                            for (int c = 0; c < ch; c++) {
                                scratch[acc + c] = Math.max(scratch[acc + c], input[src + c]);
                            }
                        }
                    }
                    for (int c = 0; c < ch; c++) {
                        output[out++] = (byte) Math.min(Math.max(scratch[acc + c], p.activationMin), p.activationMax);
                    }
                }
            }
        }
    }
}
