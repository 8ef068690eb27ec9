package dev.edgeq.runtime.kernels.int8;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API int8 2-D convolution, bit-exact with {@link Conv2DReference} (integer lanes: the
 * result does not depend on the vector width or summation order, since int32 addition wraps
 * identically in any order).
 *
 * <p>Prepare repacks the OHWI filter to {@code int[K][paddedChannels]} (output channels innermost,
 * zero-padded to whole vectors; K = filterHeight * filterWidth * inputChannels). Eval gathers the
 * patches of {@value #PIXELS} output pixels at once ({@link Im2col}), then for each tile of two
 * channel vectors broadcasts each patch value and multiply-adds it with the weight vectors: register
 * blocking of 4 pixels x 2 vectors (8 accumulators), so every weight load feeds 4 pixels. The output
 * stage is vectorized too ({@link VectorRequant}).
 *
 * <p>Scratch: {@code PIXELS * K + PIXELS * paddedChannels + paddedChannels} ints.
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

    private Conv2DVector(ConvParams p, int[] weights, VectorRequant requant) {
        this.p = p;
        this.depth = p.filterHeight * p.filterWidth * p.inputChannels;
        this.paddedChannels = requant.paddedChannels;
        this.weights = weights;
        this.requant = requant;
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
        return PIXELS * depth + PIXELS * paddedChannels + paddedChannels;
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart) {
        final ConvParams p = this.p;
        final int k = depth;
        final int ocp = paddedChannels;
        final int outC = p.outputChannels;
        final int patches = scratchStart;
        final int accs = patches + PIXELS * k;
        final int tmp = accs + PIXELS * ocp;
        final int pixels = p.outputHeight * p.outputWidth;
        for (int b = 0; b < p.batches; b++) {
            for (int pix = 0; pix < pixels; pix += PIXELS) {
                int n = Math.min(PIXELS, pixels - pix);
                for (int j = 0; j < n; j++) {
                    int o = pix + j;
                    Im2col.fill(p, input, inputStart, b, o / p.outputWidth, o % p.outputWidth, scratch, patches + j * k);
                }
                if (n == PIXELS) {
                    block4(scratch, patches, accs);
                } else {
                    for (int j = 0; j < n; j++) {
                        block1(scratch, patches + j * k, accs + j * ocp);
                    }
                }
                for (int j = 0; j < n; j++) {
                    requant.apply(scratch, accs + j * ocp, scratch, tmp, output, outputStart + (b * pixels + pix + j) * outC);
                }
            }
        }
    }

    /** 4 pixels x all channel vectors: tiles of 2 vectors, then a last single vector. */
    private void block4(int[] s, int patches, int accs) {
        final int k = depth;
        final int ocp = paddedChannels;
        final int[] w = weights;
        final int p0 = patches, p1 = patches + k, p2 = patches + 2 * k, p3 = patches + 3 * k;
        int oc = 0;
        for (; oc + 2 * L <= ocp; oc += 2 * L) {
            IntVector a00 = IntVector.zero(S), a01 = IntVector.zero(S);
            IntVector a10 = IntVector.zero(S), a11 = IntVector.zero(S);
            IntVector a20 = IntVector.zero(S), a21 = IntVector.zero(S);
            IntVector a30 = IntVector.zero(S), a31 = IntVector.zero(S);
            for (int i = 0, wi = oc; i < k; i++, wi += ocp) {
                IntVector w0 = IntVector.fromArray(S, w, wi);
                IntVector w1 = IntVector.fromArray(S, w, wi + L);
                IntVector x0 = IntVector.broadcast(S, s[p0 + i]);
                IntVector x1 = IntVector.broadcast(S, s[p1 + i]);
                IntVector x2 = IntVector.broadcast(S, s[p2 + i]);
                IntVector x3 = IntVector.broadcast(S, s[p3 + i]);
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
        if (oc < ocp) {
            IntVector a0 = IntVector.zero(S), a1 = IntVector.zero(S), a2 = IntVector.zero(S), a3 = IntVector.zero(S);
            for (int i = 0, wi = oc; i < k; i++, wi += ocp) {
                IntVector w0 = IntVector.fromArray(S, w, wi);
                a0 = a0.add(w0.mul(s[p0 + i]));
                a1 = a1.add(w0.mul(s[p1 + i]));
                a2 = a2.add(w0.mul(s[p2 + i]));
                a3 = a3.add(w0.mul(s[p3 + i]));
            }
            a0.intoArray(s, accs + oc);
            a1.intoArray(s, accs + ocp + oc);
            a2.intoArray(s, accs + 2 * ocp + oc);
            a3.intoArray(s, accs + 3 * ocp + oc);
        }
    }

    /** One pixel (the tail of a row of pixel blocks). */
    private void block1(int[] s, int patch, int acc) {
        final int k = depth;
        final int ocp = paddedChannels;
        final int[] w = weights;
        for (int oc = 0; oc < ocp; oc += L) {
            IntVector a = IntVector.zero(S);
            for (int i = 0, wi = oc; i < k; i++, wi += ocp) {
                a = a.add(IntVector.fromArray(S, w, wi).mul(s[patch + i]));
            }
            a.intoArray(s, acc + oc);
        }
    }
}
