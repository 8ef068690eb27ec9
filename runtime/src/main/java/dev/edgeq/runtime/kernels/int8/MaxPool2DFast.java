package dev.edgeq.runtime.kernels.int8;

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
                for (int ox = 0; ox < p.outputWidth; ox++) {
                    int x0 = ox * p.strideWidth - p.padLeft;
                    int xStart = Math.max(x0, 0);
                    int xEnd = Math.min(x0 + p.filterWidth, p.inputWidth);
                    // Every window holds at least one input value (validated), all >= -128.
                    java.util.Arrays.fill(scratch, acc, acc + ch, -128);
                    for (int iy = yStart; iy < yEnd; iy++) {
                        for (int ix = xStart; ix < xEnd; ix++) {
                            int src = batchBase + (iy * p.inputWidth + ix) * ch;
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
