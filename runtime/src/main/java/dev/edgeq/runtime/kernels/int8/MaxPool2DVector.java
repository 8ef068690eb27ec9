package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.ConvGeometry;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API int8 max pooling, bit-exact with {@link MaxPool2DReference} (max and clamp are exact
 * on int8 lanes): per output pixel and chunk of 16 channels, the lanewise max of the window's input
 * pixels inside the input, clamped, stored straight to the output; channels after the last whole
 * chunk run scalar (straight-line for a full 2x2 window too). 128-bit byte vectors, which every SIMD target has (NEON included). No scratch.
 *
 * <p>Why two paths: on JDK 17, C2 does not scalar-replace a vector that is carried around a loop
 * with a data-dependent trip count (the window loops), so such a running max is boxed on every
 * iteration (measured: about 80 KB allocated per seedcnn inference, and slow). Windows lying wholly
 * inside the input with a 2x2 filter (the common pool) take a straight-line max of four loads; any
 * other window keeps its running max in the output array itself (load, max, store), so no vector
 * value crosses a loop edge.
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
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart,
                     float[] floatScratch, int floatScratchStart) {
        final PoolParams p = this.p;
        final ConvGeometry g = p.geometry;
        final int ch = g.inputC;
        final int full = ch / L * L;
        final boolean twoByTwo = g.kernelH == 2 && g.kernelW == 2;
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
                    if (full > 0) {
                        if (twoByTwo && yEnd - yStart == 2 && xEnd - xStart == 2) {
                            max2x2(input, batchBase + (yStart * g.inputW + xStart) * ch, g.inputW * ch, ch, full,
                                    output, out);
                        } else {
                            maxWindow(input, batchBase, yStart, yEnd, xStart, xEnd, full, output, out);
                        }
                    }
                    if (full < ch && twoByTwo && yEnd - yStart == 2 && xEnd - xStart == 2) {
                        int i = batchBase + (yStart * g.inputW + xStart) * ch;
                        int below = i + g.inputW * ch;
                        for (int c = full; c < ch; c++) {
                            int m = Math.max(Math.max(input[i + c], input[i + ch + c]), Math.max(input[below + c], input[below + ch + c]));
                            output[out + c] = (byte) Math.min(Math.max(m, p.activationMin), p.activationMax);
                        }
                        out += ch;
                        continue;
                    }
                    for (int c = full; c < ch; c++) {
                        int m = -128;
                        for (int iy = yStart; iy < yEnd; iy++) {
                            for (int ix = xStart; ix < xEnd; ix++) {
                                m = Math.max(m, input[batchBase + (iy * g.inputW + ix) * ch + c]);
                            }
                        }
                        output[out + c] = (byte) Math.min(Math.max(m, p.activationMin), p.activationMax);
                    }
                    out += ch;
                }
            }
        }
    }

    /** A 2x2 window wholly inside the input, top-left input pixel at {@code in}. */
    private void max2x2(byte[] input, int in, int rowStride, int ch, int full, byte[] output, int out) {
        final byte min = (byte) p.activationMin;
        final byte max = (byte) p.activationMax;
        for (int c = 0; c < full; c += L) {
            int i = in + c;
            ByteVector top = ByteVector.fromArray(B, input, i).max(ByteVector.fromArray(B, input, i + ch));
            ByteVector bottom = ByteVector.fromArray(B, input, i + rowStride).max(ByteVector.fromArray(B, input, i + rowStride + ch));
            top.max(bottom).max(min).min(max).intoArray(output, out + c);
        }
    }

    /** Any window: the running max lives in the output (see the class comment). */
    private void maxWindow(byte[] input, int batchBase, int yStart, int yEnd, int xStart, int xEnd, int full,
                           byte[] output, int out) {
        final ConvGeometry g = p.geometry;
        final int ch = g.inputC;
        final byte min = (byte) p.activationMin;
        final byte max = (byte) p.activationMax;
        for (int c = 0; c < full; c += L) {
            ByteVector.broadcast(B, (byte) -128).intoArray(output, out + c);
        }
        for (int iy = yStart; iy < yEnd; iy++) {
            for (int ix = xStart; ix < xEnd; ix++) {
                int pixel = batchBase + (iy * g.inputW + ix) * ch;
                for (int c = 0; c < full; c += L) {
                    ByteVector.fromArray(B, output, out + c).max(ByteVector.fromArray(B, input, pixel + c)).intoArray(output, out + c);
                }
            }
        }
        for (int c = 0; c < full; c += L) {
            ByteVector.fromArray(B, output, out + c).max(min).min(max).intoArray(output, out + c);
        }
    }
}
