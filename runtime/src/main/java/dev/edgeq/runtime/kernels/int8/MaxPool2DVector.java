package dev.edgeq.runtime.kernels.int8;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API int8 max pooling, bit-exact with {@link MaxPool2DReference} (max and clamp are exact
 * on int8 lanes): per output pixel and chunk of 16 channels, the lanewise max of the window's input
 * pixels inside the input, clamped, stored straight to the output; channels after the last whole
 * chunk run scalar. 128-bit byte vectors, which every SIMD target has (NEON included). No scratch.
 */
final class MaxPool2DVector implements Int8Kernel {
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    private static final int L = B.length();

    private final PoolParams p;

    private MaxPool2DVector(PoolParams p) {
        this.p = p;
    }

    static MaxPool2DVector prepare(PoolParams p) {
        return new MaxPool2DVector(p);
    }

    @Override
    public int scratchInts() {
        return 0;
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart) {
        final PoolParams p = this.p;
        final int ch = p.channels;
        final int full = ch / L * L;
        final byte min = (byte) p.activationMin;
        final byte max = (byte) p.activationMax;
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
                    for (int c = 0; c < full; c += L) {
                        ByteVector m = ByteVector.broadcast(B, (byte) -128);
                        for (int iy = yStart; iy < yEnd; iy++) {
                            int row = batchBase + iy * p.inputWidth * ch + c;
                            for (int ix = xStart; ix < xEnd; ix++) {
                                m = m.max(ByteVector.fromArray(B, input, row + ix * ch));
                            }
                        }
                        m.max(min).min(max).intoArray(output, out + c);
                    }
                    for (int c = full; c < ch; c++) {
                        int m = -128;
                        for (int iy = yStart; iy < yEnd; iy++) {
                            for (int ix = xStart; ix < xEnd; ix++) {
                                m = Math.max(m, input[batchBase + (iy * p.inputWidth + ix) * ch + c]);
                            }
                        }
                        output[out + c] = (byte) Math.min(Math.max(m, min), max);
                    }
                    out += ch;
                }
            }
        }
    }
}
