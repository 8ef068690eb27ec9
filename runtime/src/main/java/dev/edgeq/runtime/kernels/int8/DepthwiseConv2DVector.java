package dev.edgeq.runtime.kernels.int8;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API int8 depthwise convolution for depth multiplier 1, bit-exact with
 * {@link DepthwiseConv2DReference}. Channels innermost: for each output pixel and channel vector,
 * multiply-add the (offset-applied, widened) input pixels inside the window with the filter taps.
 * Prepare repacks the 1HWO filter to {@code int[filterHeight * filterWidth][paddedChannels]}.
 *
 * <p>Scratch: {@code inputHeight * inputWidth * paddedChannels + 2 * paddedChannels} ints (one
 * batch of the input widened to ints with channels padded to whole vectors).
 */
final class DepthwiseConv2DVector implements Int8Kernel {
    private static final VectorSpecies<Integer> S = VectorKernelFactory.INTS;
    private static final int L = S.length();

    private final ConvParams p;
    private final int paddedChannels;
    private final int[] weights;
    private final VectorRequant requant;

    private DepthwiseConv2DVector(ConvParams p, int[] weights, VectorRequant requant) {
        this.p = p;
        this.paddedChannels = requant.paddedChannels;
        this.weights = weights;
        this.requant = requant;
    }

    static DepthwiseConv2DVector prepare(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        DepthwiseConv2DFast.checkDepthwise(p);
        if (p.depthMultiplier != 1) {
            throw new IllegalArgumentException("DepthwiseConv2DVector needs depth multiplier 1, got " + p.depthMultiplier);
        }
        Checks.array("depthwise filter", filter, filterStart, p.depthwiseFilterSize());
        VectorRequant rq = new VectorRequant(p.outputChannels, Conv2DFast.copyBias(p.outputChannels, bias, biasStart),
                p.multipliers, p.shifts, p.outputOffset, p.activationMin, p.activationMax);
        int taps = p.filterHeight * p.filterWidth;
        int cp = rq.paddedChannels;
        int[] w = new int[taps * cp];
        for (int t = 0; t < taps; t++) {
            for (int c = 0; c < p.outputChannels; c++) {
                w[t * cp + c] = filter[filterStart + t * p.outputChannels + c];
            }
        }
        return new DepthwiseConv2DVector(p, w, rq);
    }

    @Override
    public int scratchInts() {
        return p.inputHeight * p.inputWidth * paddedChannels + 2 * paddedChannels;
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart) {
        final ConvParams p = this.p;
        final int ch = p.inputChannels;
        final int cp = paddedChannels;
        final int inPixels = p.inputHeight * p.inputWidth;
        final int x0 = scratchStart;
        final int acc = x0 + inPixels * cp;
        final int tmp = acc + cp;
        final int offset = p.inputOffset;
        final int[] w = weights;
        int out = outputStart;
        for (int b = 0; b < p.batches; b++) {
            int src = inputStart + b * inPixels * ch;
            for (int i = 0; i < inPixels; i++) {
                int d = x0 + i * cp;
                int s = src + i * ch;
                for (int c = 0; c < ch; c++) {
                    scratch[d + c] = input[s + c] + offset;
                }
                for (int c = ch; c < cp; c++) {
                    scratch[d + c] = 0;
                }
            }
            for (int oy = 0; oy < p.outputHeight; oy++) {
                int inY0 = oy * p.strideHeight - p.padTop;
                for (int ox = 0; ox < p.outputWidth; ox++) {
                    int inX0 = ox * p.strideWidth - p.padLeft;
                    for (int c = 0; c < cp; c += L) {
                        IntVector a = IntVector.zero(S);
                        for (int ky = 0; ky < p.filterHeight; ky++) {
                            int iy = inY0 + ky * p.dilationHeight;
                            if (iy < 0 || iy >= p.inputHeight) {
                                continue;
                            }
                            for (int kx = 0; kx < p.filterWidth; kx++) {
                                int ix = inX0 + kx * p.dilationWidth;
                                if (ix < 0 || ix >= p.inputWidth) {
                                    continue;
                                }
                                IntVector xv = IntVector.fromArray(S, scratch, x0 + (iy * p.inputWidth + ix) * cp + c);
                                IntVector wv = IntVector.fromArray(S, w, (ky * p.filterWidth + kx) * cp + c);
                                a = a.add(xv.mul(wv));
                            }
                        }
                        a.intoArray(scratch, acc + c);
                    }
                    requant.apply(scratch, acc, scratch, tmp, output, out);
                    out += p.outputChannels;
                }
            }
        }
    }
}
