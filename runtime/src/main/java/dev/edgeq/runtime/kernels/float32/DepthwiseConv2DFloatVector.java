package dev.edgeq.runtime.kernels.float32;

import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.int8.VectorSupport;
import dev.edgeq.runtime.kernels.int8.VectorKernelFactory;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API float depthwise convolution, equal to {@link DepthwiseConv2DFloat} bit for bit (up to
 * the sign of a zero result): channels in lanes, and per lane the reference's own arithmetic in its
 * own order: start from the bias (or 0), then for each filter row and column inside the input a
 * separate multiply and add (no FMA, as Java's scalar {@code acc += x * w}), then the clamp. So the
 * result depends neither on the vector width nor on the CPU (x86 and ARM agree), and the float
 * model's outputs, calibration statistics and converted files do not change with this kernel.
 * Filter positions in the padding are skipped as in the reference, at the cost of bounds per pixel
 * rather than per tap. Channels past the last whole vector run the same arithmetic in scalar.
 *
 * <p>Loaded only through {@link VectorSupport} (mentions {@code jdk.incubator.vector}). Depth
 * multipliers other than 1 (rare) run the reference.
 */
public final class DepthwiseConv2DFloatVector {
    /** Same width as the int8 vector kernels ({@code -Dedgeq.vectorBits}). */
    private static final VectorSpecies<Float> F = VectorKernelFactory.FLOATS;
    private static final int L = F.length();

    private DepthwiseConv2DFloatVector() {
    }

    /** Same contract as {@link DepthwiseConv2DFloat#conv}. */
    public static void conv(ConvGeometry g, float[] input, int inOff, float[] weights, float[] bias,
                            float actMin, float actMax, float[] output, int outOff) {
        if (g.depthMultiplier != 1) {
            DepthwiseConv2DFloat.conv(g, input, inOff, weights, bias, actMin, actMax, output, outOff);
            return;
        }
        final int c = g.outputC;
        final int rowStride = g.inputW * c;
        // Output columns whose filter lies wholly inside the input's width: [interiorFrom, interiorTo).
        int interiorFrom = Math.min(g.outputW, (g.padLeft + g.strideW - 1) / g.strideW);
        int interiorTo = Math.max(interiorFrom,
                Math.min(g.outputW, Math.floorDiv(g.inputW - 1 - (g.kernelW - 1) * g.dilationW + g.padLeft, g.strideW) + 1));
        for (int oy = 0; oy < g.outputH; oy++) {
            int iy0 = oy * g.strideH - g.padTop;
            int kyFrom = firstInside(iy0, g.dilationH);
            int kyTo = endInside(iy0, g.dilationH, g.kernelH, g.inputH);
            int ox = 0;
            for (; ox < interiorFrom; ox++) {
                pixel(g, input, inOff, weights, bias, actMin, actMax, output, outOff, oy, ox, kyFrom, kyTo, rowStride);
            }
            for (; ox + BLOCK <= interiorTo; ox += BLOCK) {
                interiorBlock(g, input, inOff, weights, bias, actMin, actMax, output, outOff, oy, ox, kyFrom, kyTo, rowStride);
            }
            for (; ox < g.outputW; ox++) {
                pixel(g, input, inOff, weights, bias, actMin, actMax, output, outOff, oy, ox, kyFrom, kyTo, rowStride);
            }
        }
    }

    /** Output pixels computed together where the whole filter width is inside the input. */
    private static final int BLOCK = 4;

    /**
     * {@link #BLOCK} output pixels from column {@code ox0}, every filter column inside the input: four
     * accumulators (four independent add chains, one weight load per tap), each summed in the reference's order.
     */
    private static void interiorBlock(ConvGeometry g, float[] input, int inOff, float[] weights, float[] bias,
                                      float actMin, float actMax, float[] output, int outOff, int oy, int ox0,
                                      int kyFrom, int kyTo, int rowStride) {
        final int c = g.outputC;
        final int full = c / L * L;
        final int step = g.strideW * c;
        final int kw = g.kernelW;
        int taps = Math.max(0, kyTo - kyFrom) * kw;
        int firstX = inOff + (oy * g.strideH - g.padTop + kyFrom * g.dilationH) * rowStride + (ox0 * g.strideW - g.padLeft) * c;
        int firstW = kyFrom * kw * c;
        int nextRowX = g.dilationH * rowStride - kw * g.dilationW * c;
        int out = outOff + (oy * g.outputW + ox0) * c;
        for (int ch = 0; ch < full; ch += L) {
            FloatVector a0 = bias == null ? FloatVector.zero(F) : FloatVector.fromArray(F, bias, ch);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int t = 0, x = firstX + ch, w = ch + firstW, kx = 0; t < taps; t++) {
                FloatVector wt = FloatVector.fromArray(F, weights, w);
                a0 = a0.add(FloatVector.fromArray(F, input, x).mul(wt));
                a1 = a1.add(FloatVector.fromArray(F, input, x + step).mul(wt));
                a2 = a2.add(FloatVector.fromArray(F, input, x + 2 * step).mul(wt));
                a3 = a3.add(FloatVector.fromArray(F, input, x + 3 * step).mul(wt));
                x += g.dilationW * c;
                w += c;
                if (++kx == kw) {
                    kx = 0;
                    x += nextRowX;
                }
            }
            a0.max(actMin).min(actMax).intoArray(output, out + ch);
            a1.max(actMin).min(actMax).intoArray(output, out + c + ch);
            a2.max(actMin).min(actMax).intoArray(output, out + 2 * c + ch);
            a3.max(actMin).min(actMax).intoArray(output, out + 3 * c + ch);
        }
        if (full < c) {
            for (int k = 0; k < BLOCK; k++) {
                int ox = ox0 + k;
                int ix0 = ox * g.strideW - g.padLeft;
                scalarChannels(g, input, inOff, weights, bias, actMin, actMax, output, outOff, oy, ox, kyFrom, kyTo,
                        firstInside(ix0, g.dilationW), endInside(ix0, g.dilationW, g.kernelW, g.inputW), rowStride, full);
            }
        }
    }

    /** One output pixel, any position: the filter positions inside the input only. */
    private static void pixel(ConvGeometry g, float[] input, int inOff, float[] weights, float[] bias,
                              float actMin, float actMax, float[] output, int outOff, int oy, int ox,
                              int kyFrom, int kyTo, int rowStride) {
        final int c = g.outputC;
        final int full = c / L * L;
        int ix0 = ox * g.strideW - g.padLeft;
        int kxFrom = firstInside(ix0, g.dilationW);
        int kxTo = endInside(ix0, g.dilationW, g.kernelW, g.inputW);
        int columns = kxTo - kxFrom;
        int taps = kyTo > kyFrom && columns > 0 ? (kyTo - kyFrom) * columns : 0;
        int pixel = inOff + (oy * g.strideH - g.padTop) * rowStride + ix0 * c;
        int firstX = pixel + kyFrom * g.dilationH * rowStride + kxFrom * g.dilationW * c;
        int firstW = (kyFrom * g.kernelW + kxFrom) * c;
        int nextRowX = g.dilationH * rowStride - columns * g.dilationW * c;
        int nextRowW = (g.kernelW - columns) * c;
        int out = outOff + (oy * g.outputW + ox) * c;
        for (int ch = 0; ch < full; ch += L) {
            FloatVector acc = bias == null ? FloatVector.zero(F) : FloatVector.fromArray(F, bias, ch);
            // One loop over the taps, row by row (the reference's order): C2 keeps acc in a register
            // through one loop, but boxes it through nested loops (measured on JDK 17).
            for (int t = 0, x = firstX + ch, w = firstW + ch, kx = 0; t < taps; t++) {
                acc = acc.add(FloatVector.fromArray(F, input, x).mul(FloatVector.fromArray(F, weights, w)));
                x += g.dilationW * c;
                w += c;
                if (++kx == columns) {
                    kx = 0;
                    x += nextRowX;
                    w += nextRowW;
                }
            }
            acc.max(actMin).min(actMax).intoArray(output, out + ch);
        }
        scalarChannels(g, input, inOff, weights, bias, actMin, actMax, output, outOff, oy, ox, kyFrom, kyTo, kxFrom, kxTo,
                rowStride, full);
    }

    /** Channels {@code [from, outputC)} of one pixel in scalar, the reference's arithmetic. */
    private static void scalarChannels(ConvGeometry g, float[] input, int inOff, float[] weights, float[] bias,
                                       float actMin, float actMax, float[] output, int outOff, int oy, int ox,
                                       int kyFrom, int kyTo, int kxFrom, int kxTo, int rowStride, int from) {
        final int c = g.outputC;
        int pixel = inOff + (oy * g.strideH - g.padTop) * rowStride + (ox * g.strideW - g.padLeft) * c;
        int out = outOff + (oy * g.outputW + ox) * c;
        for (int ch = from; ch < c; ch++) {
            float acc = bias == null ? 0f : bias[ch];
            for (int ky = kyFrom; ky < kyTo; ky++) {
                int row = pixel + ky * g.dilationH * rowStride + ch;
                int wrow = ky * g.kernelW * c + ch;
                for (int kx = kxFrom; kx < kxTo; kx++) {
                    acc += input[row + kx * g.dilationW * c] * weights[wrow + kx * c];
                }
            }
            output[out + ch] = Math.min(Math.max(acc, actMin), actMax);
        }
    }

    /** First filter index k with {@code start + k * dilation >= 0}. */
    private static int firstInside(int start, int dilation) {
        return start >= 0 ? 0 : (-start + dilation - 1) / dilation;
    }

    /** One past the last filter index k ({@code < kernel}) with {@code start + k * dilation < size}. */
    private static int endInside(int start, int dilation, int kernel, int size) {
        if (start >= size) {
            return 0;
        }
        return Math.min(kernel, (size - 1 - start) / dilation + 1);
    }
}
