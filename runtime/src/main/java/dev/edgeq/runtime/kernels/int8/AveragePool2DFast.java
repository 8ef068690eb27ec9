package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.ConvGeometry;

/**
 * Fast int8 average pooling, bit-exact with {@link AveragePool2DReference}: window bounds and the
 * divisor computed once per output pixel, channel sums accumulated channels innermost.
 *
 * <p>Scratch: {@code channels} ints.
 */
public final class AveragePool2DFast implements Int8Kernel {
    private final PoolParams p;
    private final ChannelSum sum;

    private AveragePool2DFast(PoolParams p, ChannelSum sum) {
        this.p = p;
        this.sum = sum;
    }

    public static AveragePool2DFast prepare(PoolParams p) {
        return new AveragePool2DFast(p, ChannelSum.SCALAR);
    }

    /** With the channel sums of {@code sum} (the vector kernels' form). */
    static AveragePool2DFast prepare(PoolParams p, ChannelSum sum) {
        return new AveragePool2DFast(p, sum);
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
                int rows = p.countIncludePad
                        ? Math.min(y0 + g.kernelH, g.inputH + g.padBottom) - Math.max(y0, -g.padTop)
                        : yEnd - yStart;
                for (int ox = 0; ox < g.outputW; ox++) {
                    int x0 = ox * g.strideW - g.padLeft;
                    int xStart = Math.max(x0, 0);
                    int xEnd = Math.min(x0 + g.kernelW, g.inputW);
                    int cols = p.countIncludePad
                            ? Math.min(x0 + g.kernelW, g.inputW + g.padRight) - Math.max(x0, -g.padLeft)
                            : xEnd - xStart;
                    int count = rows * cols;
                    int half = count / 2;
                    java.util.Arrays.fill(scratch, acc, acc + ch, 0);
                    for (int iy = yStart; iy < yEnd; iy++) {
                        for (int ix = xStart; ix < xEnd; ix++) {
                            sum.add(input, batchBase + (iy * g.inputW + ix) * ch, scratch, acc, ch);
                        }
                    }
                    for (int c = 0; c < ch; c++) {
                        int total = scratch[acc + c];
                        int average = total > 0 ? (total + half) / count : (total - half) / count;
                        output[out++] = (byte) Math.min(Math.max(average, p.activationMin), p.activationMax);
                    }
                }
            }
        }
    }
}
