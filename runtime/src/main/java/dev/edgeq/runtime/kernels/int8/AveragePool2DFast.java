package dev.edgeq.runtime.kernels.int8;

/**
 * Fast int8 average pooling, bit-exact with {@link AveragePool2DReference}: window bounds and the
 * divisor computed once per output pixel, channel sums accumulated channels innermost.
 *
 * <p>Scratch: {@code channels} ints.
 */
public final class AveragePool2DFast implements Int8Kernel {
    private final PoolParams p;

    private AveragePool2DFast(PoolParams p) {
        this.p = p;
    }

    public static AveragePool2DFast prepare(PoolParams p) {
        return new AveragePool2DFast(p);
    }

    public static int scratchSize(PoolParams p) {
        return p.channels;
    }

    @Override
    public int scratchInts() {
        return p.channels;
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart) {
        final PoolParams p = this.p;
        final int ch = p.channels;
        final int acc = scratchStart;
        int out = outputStart;
        for (int b = 0; b < p.batches; b++) {
            int batchBase = inputStart + b * p.inputHeight * p.inputWidth * ch;
            for (int oy = 0; oy < p.outputHeight; oy++) {
                int y0 = oy * p.strideHeight - p.padTop;
                int yStart = Math.max(y0, 0);
                int yEnd = Math.min(y0 + p.filterHeight, p.inputHeight);
                int rows = p.countIncludePad
                        ? Math.min(y0 + p.filterHeight, p.inputHeight + p.padBottom) - Math.max(y0, -p.padTop)
                        : yEnd - yStart;
                for (int ox = 0; ox < p.outputWidth; ox++) {
                    int x0 = ox * p.strideWidth - p.padLeft;
                    int xStart = Math.max(x0, 0);
                    int xEnd = Math.min(x0 + p.filterWidth, p.inputWidth);
                    int cols = p.countIncludePad
                            ? Math.min(x0 + p.filterWidth, p.inputWidth + p.padRight) - Math.max(x0, -p.padLeft)
                            : xEnd - xStart;
                    int count = rows * cols;
                    int half = count / 2;
                    java.util.Arrays.fill(scratch, acc, acc + ch, 0);
                    for (int iy = yStart; iy < yEnd; iy++) {
                        for (int ix = xStart; ix < xEnd; ix++) {
                            int src = batchBase + (iy * p.inputWidth + ix) * ch;
                            for (int c = 0; c < ch; c++) {
                                scratch[acc + c] += input[src + c];
                            }
                        }
                    }
                    for (int c = 0; c < ch; c++) {
                        int sum = scratch[acc + c];
                        int average = sum > 0 ? (sum + half) / count : (sum - half) / count;
                        output[out++] = (byte) Math.min(Math.max(average, p.activationMin), p.activationMax);
                    }
                }
            }
        }
    }
}
