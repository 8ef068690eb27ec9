package dev.edgeq.runtime.kernels.int8;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API int8 2-D convolution, bit-exact with {@link Conv2DReference} (integer lanes: the
 * result does not depend on the vector width or summation order, since int32 addition wraps
 * identically in any order).
 *
 * <p>Prepare repacks the OHWI filter to {@code int[K][paddedChannels]} (output channels innermost,
 * zero-padded to whole vectors; K = filterHeight * filterWidth * inputChannels) and tabulates, for
 * each of the K taps, its offset inside a padded input image. Eval widens one batch of the input
 * into that padded image (input offset applied, padding = 0, so padding contributes nothing and no
 * bounds tests remain), then for {@value #PIXELS} output pixels at a time and each tile of two channel
 * vectors broadcasts each tap's input value and multiply-adds it with the weight vectors: register
 * blocking of 4 pixels x 2 vectors (8 accumulators), so every weight load feeds 4 pixels. The output
 * stage is vectorized too ({@link VectorRequant}).
 *
 * <p>Scratch: {@code (inputHeight + padTop + padBottom) * (inputWidth + padLeft + padRight) *
 * inputChannels + PIXELS * paddedChannels + paddedChannels} ints.
 */
final class Conv2DVector implements Int8Kernel {
    private static final VectorSpecies<Integer> S = VectorKernelFactory.INTS;
    private static final int L = S.length();
    static final int PIXELS = 4;

    private final ConvParams p;
    private final int depth;
    private final int paddedChannels;
    private final int[] weights;
    private final VectorRequant requant;
    private final int paddedHeight;
    private final int paddedWidth;
    /** Offset of tap (ky, kx, ic) from a window's top-left corner in the padded image, HWI order. */
    private final int[] tapOffsets;

    private Conv2DVector(ConvParams p, int[] weights, VectorRequant requant) {
        this.p = p;
        this.depth = p.filterHeight * p.filterWidth * p.inputChannels;
        this.paddedChannels = requant.paddedChannels;
        this.weights = weights;
        this.requant = requant;
        this.paddedHeight = p.inputHeight + p.padTop + p.padBottom;
        this.paddedWidth = p.inputWidth + p.padLeft + p.padRight;
        Checks.fitsInt("padded input", (long) paddedHeight * paddedWidth * p.inputChannels + (long) PIXELS * paddedChannels * 2);
        this.tapOffsets = new int[depth];
        int i = 0;
        for (int ky = 0; ky < p.filterHeight; ky++) {
            for (int kx = 0; kx < p.filterWidth; kx++) {
                for (int ic = 0; ic < p.inputChannels; ic++) {
                    tapOffsets[i++] = ((ky * p.dilationHeight) * paddedWidth + kx * p.dilationWidth) * p.inputChannels + ic;
                }
            }
        }
    }

    static Conv2DVector prepare(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        Checks.array("conv filter", filter, filterStart, p.convFilterSize());
        VectorRequant rq = new VectorRequant(p.outputChannels, Conv2DFast.copyBias(p.outputChannels, bias, biasStart),
                p.multipliers, p.shifts, p.outputOffset, p.activationMin, p.activationMax);
        int k = p.filterHeight * p.filterWidth * p.inputChannels;
        int ocp = rq.paddedChannels;
        int[] w = new int[k * ocp];
        for (int oc = 0; oc < p.outputChannels; oc++) {
            for (int i = 0; i < k; i++) {
                w[i * ocp + oc] = filter[filterStart + oc * k + i];
            }
        }
        return new Conv2DVector(p, w, rq);
    }

    @Override
    public int scratchInts() {
        return paddedHeight * paddedWidth * p.inputChannels + PIXELS * paddedChannels + paddedChannels;
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart) {
        final ConvParams p = this.p;
        final int k = depth;
        final int ocp = paddedChannels;
        final int outC = p.outputChannels;
        final int inC = p.inputChannels;
        final int image = scratchStart;
        final int accs = image + paddedHeight * paddedWidth * inC;
        final int tmp = accs + PIXELS * ocp;
        final int pixels = p.outputHeight * p.outputWidth;
        for (int b = 0; b < p.batches; b++) {
            widen(input, inputStart + b * p.inputHeight * p.inputWidth * inC, scratch, image);
            int oy = 0, ox = 0;
            for (int pix = 0; pix < pixels; pix += PIXELS) {
                int n = Math.min(PIXELS, pixels - pix);
                int b0 = pixelBase(image, oy, ox);
                if (++ox == p.outputWidth) { ox = 0; oy++; }
                if (n == PIXELS) {
                    int b1 = pixelBase(image, oy, ox);
                    if (++ox == p.outputWidth) { ox = 0; oy++; }
                    int b2 = pixelBase(image, oy, ox);
                    if (++ox == p.outputWidth) { ox = 0; oy++; }
                    int b3 = pixelBase(image, oy, ox);
                    if (++ox == p.outputWidth) { ox = 0; oy++; }
                    block4(scratch, b0, b1, b2, b3, accs);
                } else {
                    block1(scratch, b0, accs);
                    for (int j = 1; j < n; j++) {
                        int bj = pixelBase(image, oy, ox);
                        if (++ox == p.outputWidth) { ox = 0; oy++; }
                        block1(scratch, bj, accs + j * ocp);
                    }
                }
                for (int j = 0; j < n; j++) {
                    requant.apply(scratch, accs + j * ocp, scratch, tmp, output, outputStart + (b * pixels + pix + j) * outC);
                }
            }
        }
    }

    /** Index in the padded image of the top-left tap of output pixel (oy, ox). */
    private int pixelBase(int image, int oy, int ox) {
        return image + (oy * p.strideHeight * paddedWidth + ox * p.strideWidth) * p.inputChannels;
    }

    /** Copies one batch into the zero-bordered padded image, adding the input offset. */
    private void widen(byte[] input, int src, int[] s, int image) {
        final int inC = p.inputChannels;
        final int offset = p.inputOffset;
        final int rowInts = paddedWidth * inC;
        java.util.Arrays.fill(s, image, image + p.padTop * rowInts, 0);
        java.util.Arrays.fill(s, image + (p.padTop + p.inputHeight) * rowInts, image + paddedHeight * rowInts, 0);
        for (int y = 0; y < p.inputHeight; y++) {
            int row = image + (y + p.padTop) * rowInts;
            java.util.Arrays.fill(s, row, row + p.padLeft * inC, 0);
            int d = row + p.padLeft * inC;
            int from = src + y * p.inputWidth * inC;
            int n = p.inputWidth * inC;
            VectorWiden.widen(input, from, s, d, n, offset);
            java.util.Arrays.fill(s, d + n, row + rowInts, 0);
        }
    }

    /** 4 pixels x all channel vectors: tiles of 2 vectors, then a last single vector. */
    private void block4(int[] s, int p0, int p1, int p2, int p3, int accs) {
        final int ocp = paddedChannels;
        int oc = 0;
        for (; oc + 2 * L <= ocp; oc += 2 * L) {
            tile4x2(s, p0, p1, p2, p3, accs, oc);
        }
        if (oc < ocp) {
            tile4x1(s, p0, p1, p2, p3, accs, oc);
        }
    }

    private void tile4x2(int[] s, int p0, int p1, int p2, int p3, int accs, int oc) {
        final int k = depth;
        final int ocp = paddedChannels;
        final int[] w = weights;
        final int[] taps = tapOffsets;
        IntVector a00 = IntVector.zero(S), a01 = IntVector.zero(S);
        IntVector a10 = IntVector.zero(S), a11 = IntVector.zero(S);
        IntVector a20 = IntVector.zero(S), a21 = IntVector.zero(S);
        IntVector a30 = IntVector.zero(S), a31 = IntVector.zero(S);
        for (int i = 0, wi = oc; i < k; i++, wi += ocp) {
            int t = taps[i];
            IntVector w0 = IntVector.fromArray(S, w, wi);
            IntVector w1 = IntVector.fromArray(S, w, wi + L);
            IntVector x0 = IntVector.broadcast(S, s[p0 + t]);
            IntVector x1 = IntVector.broadcast(S, s[p1 + t]);
            IntVector x2 = IntVector.broadcast(S, s[p2 + t]);
            IntVector x3 = IntVector.broadcast(S, s[p3 + t]);
            a00 = a00.add(x0.mul(w0));
            a01 = a01.add(x0.mul(w1));
            a10 = a10.add(x1.mul(w0));
            a11 = a11.add(x1.mul(w1));
            a20 = a20.add(x2.mul(w0));
            a21 = a21.add(x2.mul(w1));
            a30 = a30.add(x3.mul(w0));
            a31 = a31.add(x3.mul(w1));
        }
        a00.intoArray(s, accs + oc);
        a01.intoArray(s, accs + oc + L);
        a10.intoArray(s, accs + ocp + oc);
        a11.intoArray(s, accs + ocp + oc + L);
        a20.intoArray(s, accs + 2 * ocp + oc);
        a21.intoArray(s, accs + 2 * ocp + oc + L);
        a30.intoArray(s, accs + 3 * ocp + oc);
        a31.intoArray(s, accs + 3 * ocp + oc + L);
    }

    private void tile4x1(int[] s, int p0, int p1, int p2, int p3, int accs, int oc) {
        final int k = depth;
        final int ocp = paddedChannels;
        final int[] w = weights;
        final int[] taps = tapOffsets;
        IntVector a0 = IntVector.zero(S), a1 = IntVector.zero(S), a2 = IntVector.zero(S), a3 = IntVector.zero(S);
        for (int i = 0, wi = oc; i < k; i++, wi += ocp) {
            int t = taps[i];
            IntVector w0 = IntVector.fromArray(S, w, wi);
            a0 = a0.add(w0.mul(IntVector.broadcast(S, s[p0 + t])));
            a1 = a1.add(w0.mul(IntVector.broadcast(S, s[p1 + t])));
            a2 = a2.add(w0.mul(IntVector.broadcast(S, s[p2 + t])));
            a3 = a3.add(w0.mul(IntVector.broadcast(S, s[p3 + t])));
        }
        a0.intoArray(s, accs + oc);
        a1.intoArray(s, accs + ocp + oc);
        a2.intoArray(s, accs + 2 * ocp + oc);
        a3.intoArray(s, accs + 3 * ocp + oc);
    }

    /** One pixel (the tail of a row of pixel blocks). */
    private void block1(int[] s, int p0, int acc) {
        final int k = depth;
        final int ocp = paddedChannels;
        final int[] w = weights;
        final int[] taps = tapOffsets;
        for (int oc = 0; oc < ocp; oc += L) {
            IntVector a = IntVector.zero(S);
            for (int i = 0, wi = oc; i < k; i++, wi += ocp) {
                a = a.add(IntVector.fromArray(S, w, wi).mul(IntVector.broadcast(S, s[p0 + taps[i]])));
            }
            a.intoArray(s, acc + oc);
        }
    }
}
