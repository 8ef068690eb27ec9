package dev.edgeq.runtime.kernels.int8;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API int8 depthwise convolution for depth multiplier 1, bit-exact with
 * {@link DepthwiseConv2DReference}. Channels innermost: for each output pixel and channel vector,
 * multiply-add the window's input pixels with the filter taps. Eval first widens one batch into a
 * zero-bordered padded image (input offset applied, padding = 0 so it contributes nothing, channels
 * padded to whole vectors), so the tap loop has no bounds tests: a plain counted loop that keeps the
 * accumulator in a register. Prepare repacks the 1HWO filter to {@code int[taps][paddedChannels]}.
 *
 * <p>Scratch: {@code (inputHeight + padTop + padBottom) * (inputWidth + padLeft + padRight) *
 * paddedChannels + 2 * paddedChannels} ints.
 */
final class DepthwiseConv2DVector implements Int8Kernel {
    private static final VectorSpecies<Integer> S = VectorKernelFactory.INTS;
    private static final int L = S.length();

    private final ConvParams p;
    private final int paddedChannels;
    private final int[] weights;
    private final VectorRequant requant;
    /** Offset of tap (ky, kx) from a window's top-left corner in the padded image. */
    private final int[] tapOffsets;

    private DepthwiseConv2DVector(ConvParams p, int[] weights, VectorRequant requant) {
        this.p = p;
        this.paddedChannels = requant.paddedChannels;
        this.weights = weights;
        this.requant = requant;
        int pw = p.inputWidth + p.padLeft + p.padRight;
        Checks.fitsInt("padded input", (long) (p.inputHeight + p.padTop + p.padBottom) * pw * paddedChannels + 2L * paddedChannels);
        this.tapOffsets = new int[p.filterHeight * p.filterWidth];
        for (int ky = 0; ky < p.filterHeight; ky++) {
            for (int kx = 0; kx < p.filterWidth; kx++) {
                tapOffsets[ky * p.filterWidth + kx] = (ky * p.dilationHeight * pw + kx * p.dilationWidth) * paddedChannels;
            }
        }
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

    private int paddedHeight() {
        return p.inputHeight + p.padTop + p.padBottom;
    }

    private int paddedWidth() {
        return p.inputWidth + p.padLeft + p.padRight;
    }

    @Override
    public int scratchInts() {
        return paddedHeight() * paddedWidth() * paddedChannels + 2 * paddedChannels;
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart) {
        final ConvParams p = this.p;
        final int ch = p.inputChannels;
        final int cp = paddedChannels;
        final int pw = paddedWidth();
        final int image = scratchStart;
        final int acc = image + paddedHeight() * pw * cp;
        final int tmp = acc + cp;
        final int[] taps = tapOffsets;
        final int nTaps = taps.length;
        final int[] w = weights;
        int out = outputStart;
        for (int b = 0; b < p.batches; b++) {
            widen(input, inputStart + b * p.inputHeight * p.inputWidth * ch, scratch, image);
            for (int oy = 0; oy < p.outputHeight; oy++) {
                for (int ox = 0; ox < p.outputWidth; ox++) {
                    int base = image + (oy * p.strideHeight * pw + ox * p.strideWidth) * cp;
                    for (int c = 0; c < cp; c += L) {
                        IntVector a = IntVector.zero(S);
                        for (int t = 0; t < nTaps; t++) {
                            a = a.add(IntVector.fromArray(S, scratch, base + taps[t] + c).mul(IntVector.fromArray(S, w, t * cp + c)));
                        }
                        a.intoArray(scratch, acc + c);
                    }
                    requant.apply(scratch, acc, scratch, tmp, output, out);
                    out += p.outputChannels;
                }
            }
        }
    }

    /** One batch into the zero-bordered padded image, channels padded to whole vectors, offset added. */
    private void widen(byte[] input, int src, int[] s, int image) {
        final int ch = p.inputChannels;
        final int cp = paddedChannels;
        final int pw = paddedWidth();
        final int offset = p.inputOffset;
        if (ch == cp) {
            // Rows are contiguous: zero only the border, widen each row in one run.
            int rowInts = pw * cp;
            java.util.Arrays.fill(s, image, image + p.padTop * rowInts, 0);
            java.util.Arrays.fill(s, image + (p.padTop + p.inputHeight) * rowInts, image + paddedHeight() * rowInts, 0);
            for (int y = 0; y < p.inputHeight; y++) {
                int row = image + (y + p.padTop) * rowInts;
                java.util.Arrays.fill(s, row, row + p.padLeft * cp, 0);
                int n = p.inputWidth * ch;
                VectorWiden.widen(input, src + y * n, s, row + p.padLeft * cp, n, offset);
                java.util.Arrays.fill(s, row + p.padLeft * cp + n, row + rowInts, 0);
            }
            return;
        }
        java.util.Arrays.fill(s, image, image + paddedHeight() * pw * cp, 0);
        for (int y = 0; y < p.inputHeight; y++) {
            for (int x = 0; x < p.inputWidth; x++) {
                int d = image + ((y + p.padTop) * pw + x + p.padLeft) * cp;
                int from = src + (y * p.inputWidth + x) * ch;
                for (int c = 0; c < ch; c++) {
                    s[d + c] = input[from + c] + offset;
                }
            }
        }
    }
}
