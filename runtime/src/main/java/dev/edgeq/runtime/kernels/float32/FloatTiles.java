package dev.edgeq.runtime.kernels.float32;

import dev.edgeq.runtime.kernels.int8.FmaConv;
import dev.edgeq.runtime.kernels.int8.FmaTiles;
import dev.edgeq.runtime.kernels.int8.VectorKernelFactory;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked multiply-add micro-kernel of the Vector API convolutions, float
 * ({@code Conv2DFloatVector}) and int8 ({@code int8.Conv2DFloatExact}, whose float sums are exact
 * integers), and of the float fully connected kernel: each lane one output channel adding its taps
 * one {@code fma} at a time in tap order, so results do not depend on the vector width. Over
 * {@code float[]} arrays only: every load and store has the vector's own element type, because
 * float vectors reinterpreted from an {@code int[]} scratch were boxed by C2 on JDK 17 in some test
 * JVMs (a type profile polluted by the other kernels), tens of kilobytes per run.
 *
 * <p>A tile computes {@code init[i_j + oc] + sum over taps t in [t0, t1) of img[b_j + taps[t]] *
 * w[t, oc]} for pixels {@code j} (image bases {@code b_j}) and a few channel vectors from
 * {@code oc}, into {@code dst[d_j + oc]}; where the weights of tap {@code t} lie is the caller's
 * layout: {@code w[wStart + (t - t0) * wStride + (oc - ocFrom)]} for {@link #pixels4} (the blocked
 * convolution keeps each chunk's slice contiguous), {@code w[t * ocp + oc]} for {@link #pixel1}.
 * {@code init} is the bias (every {@code i_j} 0) or the pixels' own partial sums, which lets a
 * caller cut the taps into chunks without changing a bit.
 * Each pixel has its own start and destination, so fewer than four pixels are computed by repeating
 * one. Loaded only through {@code VectorSupport}.
 */
public final class FloatTiles {
    private static final VectorSpecies<Float> FLOATS = VectorKernelFactory.FLOATS;
    private static final int LANES = FmaTiles.LANES;

    private FloatTiles() {
    }

    /**
     * Four pixels times channels {@code [ocFrom, ocTo)} (whole vectors), channel vectors tiled by
     * three; tap {@code t}'s weights for these channels from {@code w[wStart + (t - t0) * wStride]}.
     */
    public static void pixels4(float[] img, int b0, int b1, int b2, int b3, int[] taps, int t0, int t1,
                               float[] w, int wStart, int wStride, int ocFrom, int ocTo,
                               float[] init, int i0, int i1, int i2, int i3, float[] dst, int d0, int d1, int d2, int d3) {
        final int l = LANES;
        int oc = ocFrom;
        for (; oc + 3 * l <= ocTo; oc += 3 * l) {
            tile4x3(img, b0, b1, b2, b3, taps, t0, t1, w, wStart + oc - ocFrom, wStride, oc, init, i0, i1, i2, i3, dst, d0, d1, d2, d3);
        }
        if (oc + 2 * l <= ocTo) {
            tile4x2(img, b0, b1, b2, b3, taps, t0, t1, w, wStart + oc - ocFrom, wStride, oc, init, i0, i1, i2, i3, dst, d0, d1, d2, d3);
        } else if (oc < ocTo) {
            tile4x1(img, b0, b1, b2, b3, taps, t0, t1, w, wStart + oc - ocFrom, wStride, oc, init, i0, i1, i2, i3, dst, d0, d1, d2, d3);
        }
    }

    /**
     * The blocked convolutions' step (float and int8): taps {@code [t0, t1)} of output pixels
     * {@code [block, blockEnd)} of group {@code k} (window corners from {@code conv}, image at
     * {@code image}), one slice of {@link FmaConv#SLICE_VECTORS} channel vectors over all the pixels
     * at a time, weights in {@link FmaConv#bySlices}' order. Pixel {@code p}'s sums go to
     * {@code dst[sums + (p - block) * ocp]}, started from {@code start[0..]} ({@code restart}) or
     * continued from there. Past the block's end the last pixel is computed again into the unused
     * sums of the next ones: {@code dst} has room for a whole block from {@code sums}, in tiles of
     * {@link FmaTiles#PIXELS}.
     */
    public static void block(float[] img, FmaConv conv, int image, int k, int block, int blockEnd, int t0, int t1,
                             float[] w, int ocp, float[] start, boolean restart, float[] dst, int sums) {
        final int slice = FmaConv.SLICE_VECTORS * LANES;
        final int[] offsets = conv.tapOffsets();
        float[] init = restart ? start : dst;
        for (int oc = 0; oc < ocp; oc += slice) {
            int ocEnd = Math.min(ocp, oc + slice);
            for (int pix = block; pix < blockEnd; pix += FmaTiles.PIXELS) {
                int last = Math.min(FmaTiles.PIXELS, blockEnd - pix) - 1;
                int d = sums + (pix - block) * ocp;
                pixels4(img, conv.base(image, k, pix), conv.base(image, k, pix + Math.min(1, last)),
                        conv.base(image, k, pix + Math.min(2, last)), conv.base(image, k, pix + last), offsets, t0, t1,
                        w, FmaConv.sliceStart(t0, t1, oc, ocp), ocEnd - oc, oc, ocEnd,
                        init, restart ? 0 : d, restart ? 0 : d + ocp, restart ? 0 : d + 2 * ocp, restart ? 0 : d + 3 * ocp,
                        dst, d, d + ocp, d + 2 * ocp, d + 3 * ocp);
            }
        }
    }

    /** One pixel (base {@code b}) times all {@code ocp} channels: a matrix-vector product. */
    public static void pixel1(float[] img, int b, int[] taps, int t0, int t1, float[] w, int ocp,
                              float[] init, int initStart, float[] dst, int dstStart) {
        final int l = LANES;
        int oc = 0;
        for (; oc + 4 * l <= ocp; oc += 4 * l) {
            tile1x4(img, b, taps, t0, t1, w, ocp, oc, init, initStart, dst, dstStart);
        }
        for (; oc < ocp; oc += l) {
            tile1x1(img, b, taps, t0, t1, w, ocp, oc, init, initStart, dst, dstStart);
        }
    }

    /**
     * {@code out[to + i] = min(max(sums[from + i], lo), hi)} for i in [0, n): the fused activation's
     * clamp, as the reference's {@code Math.min(Math.max(acc, lo), hi)}.
     */
    static void clamp(float[] sums, int from, float[] out, int to, int n, float lo, float hi) {
        FloatVector vlo = FloatVector.broadcast(FLOATS, lo);
        FloatVector vhi = FloatVector.broadcast(FLOATS, hi);
        int i = 0;
        for (; i + LANES <= n; i += LANES) {
            FloatVector.fromArray(FLOATS, sums, from + i).max(vlo).min(vhi).intoArray(out, to + i);
        }
        for (; i < n; i++) {
            out[to + i] = Math.min(Math.max(sums[from + i], lo), hi);
        }
    }

    // Each tile is written out so that C2 keeps every accumulator in a register (a loop over an
    // accumulator array would spill them), and calls the Vector API only: a vector passed through a
    // helper that C2 leaves out of line (past its inlining budget) is boxed.

    private static void tile4x3(float[] img, int b0, int b1, int b2, int b3, int[] taps, int t0, int t1, float[] w, int wStart, int wStride, int oc,
                                float[] init, int i0, int i1, int i2, int i3, float[] dst, int d0, int d1, int d2, int d3) {
        final int l = LANES;
        FloatVector a00 = FloatVector.fromArray(FLOATS, init, i0 + oc);
        FloatVector a01 = FloatVector.fromArray(FLOATS, init, i0 + oc + l);
        FloatVector a02 = FloatVector.fromArray(FLOATS, init, i0 + oc + 2 * l);
        FloatVector a10 = FloatVector.fromArray(FLOATS, init, i1 + oc);
        FloatVector a11 = FloatVector.fromArray(FLOATS, init, i1 + oc + l);
        FloatVector a12 = FloatVector.fromArray(FLOATS, init, i1 + oc + 2 * l);
        FloatVector a20 = FloatVector.fromArray(FLOATS, init, i2 + oc);
        FloatVector a21 = FloatVector.fromArray(FLOATS, init, i2 + oc + l);
        FloatVector a22 = FloatVector.fromArray(FLOATS, init, i2 + oc + 2 * l);
        FloatVector a30 = FloatVector.fromArray(FLOATS, init, i3 + oc);
        FloatVector a31 = FloatVector.fromArray(FLOATS, init, i3 + oc + l);
        FloatVector a32 = FloatVector.fromArray(FLOATS, init, i3 + oc + 2 * l);
        for (int t = t0, wi = wStart; t < t1; t++, wi += wStride) {
            int o = taps[t];
            FloatVector w0 = FloatVector.fromArray(FLOATS, w, wi);
            FloatVector w1 = FloatVector.fromArray(FLOATS, w, wi + l);
            FloatVector w2 = FloatVector.fromArray(FLOATS, w, wi + 2 * l);
            FloatVector x = FloatVector.broadcast(FLOATS, img[b0 + o]);
            a00 = x.fma(w0, a00);
            a01 = x.fma(w1, a01);
            a02 = x.fma(w2, a02);
            x = FloatVector.broadcast(FLOATS, img[b1 + o]);
            a10 = x.fma(w0, a10);
            a11 = x.fma(w1, a11);
            a12 = x.fma(w2, a12);
            x = FloatVector.broadcast(FLOATS, img[b2 + o]);
            a20 = x.fma(w0, a20);
            a21 = x.fma(w1, a21);
            a22 = x.fma(w2, a22);
            x = FloatVector.broadcast(FLOATS, img[b3 + o]);
            a30 = x.fma(w0, a30);
            a31 = x.fma(w1, a31);
            a32 = x.fma(w2, a32);
        }
        a00.intoArray(dst, d0 + oc);
        a01.intoArray(dst, d0 + oc + l);
        a02.intoArray(dst, d0 + oc + 2 * l);
        a10.intoArray(dst, d1 + oc);
        a11.intoArray(dst, d1 + oc + l);
        a12.intoArray(dst, d1 + oc + 2 * l);
        a20.intoArray(dst, d2 + oc);
        a21.intoArray(dst, d2 + oc + l);
        a22.intoArray(dst, d2 + oc + 2 * l);
        a30.intoArray(dst, d3 + oc);
        a31.intoArray(dst, d3 + oc + l);
        a32.intoArray(dst, d3 + oc + 2 * l);
    }

    private static void tile4x2(float[] img, int b0, int b1, int b2, int b3, int[] taps, int t0, int t1, float[] w, int wStart, int wStride, int oc,
                                float[] init, int i0, int i1, int i2, int i3, float[] dst, int d0, int d1, int d2, int d3) {
        final int l = LANES;
        FloatVector a00 = FloatVector.fromArray(FLOATS, init, i0 + oc);
        FloatVector a01 = FloatVector.fromArray(FLOATS, init, i0 + oc + l);
        FloatVector a10 = FloatVector.fromArray(FLOATS, init, i1 + oc);
        FloatVector a11 = FloatVector.fromArray(FLOATS, init, i1 + oc + l);
        FloatVector a20 = FloatVector.fromArray(FLOATS, init, i2 + oc);
        FloatVector a21 = FloatVector.fromArray(FLOATS, init, i2 + oc + l);
        FloatVector a30 = FloatVector.fromArray(FLOATS, init, i3 + oc);
        FloatVector a31 = FloatVector.fromArray(FLOATS, init, i3 + oc + l);
        for (int t = t0, wi = wStart; t < t1; t++, wi += wStride) {
            int o = taps[t];
            FloatVector w0 = FloatVector.fromArray(FLOATS, w, wi);
            FloatVector w1 = FloatVector.fromArray(FLOATS, w, wi + l);
            FloatVector x = FloatVector.broadcast(FLOATS, img[b0 + o]);
            a00 = x.fma(w0, a00);
            a01 = x.fma(w1, a01);
            x = FloatVector.broadcast(FLOATS, img[b1 + o]);
            a10 = x.fma(w0, a10);
            a11 = x.fma(w1, a11);
            x = FloatVector.broadcast(FLOATS, img[b2 + o]);
            a20 = x.fma(w0, a20);
            a21 = x.fma(w1, a21);
            x = FloatVector.broadcast(FLOATS, img[b3 + o]);
            a30 = x.fma(w0, a30);
            a31 = x.fma(w1, a31);
        }
        a00.intoArray(dst, d0 + oc);
        a01.intoArray(dst, d0 + oc + l);
        a10.intoArray(dst, d1 + oc);
        a11.intoArray(dst, d1 + oc + l);
        a20.intoArray(dst, d2 + oc);
        a21.intoArray(dst, d2 + oc + l);
        a30.intoArray(dst, d3 + oc);
        a31.intoArray(dst, d3 + oc + l);
    }

    private static void tile4x1(float[] img, int b0, int b1, int b2, int b3, int[] taps, int t0, int t1, float[] w, int wStart, int wStride, int oc,
                                float[] init, int i0, int i1, int i2, int i3, float[] dst, int d0, int d1, int d2, int d3) {
        FloatVector a0 = FloatVector.fromArray(FLOATS, init, i0 + oc);
        FloatVector a1 = FloatVector.fromArray(FLOATS, init, i1 + oc);
        FloatVector a2 = FloatVector.fromArray(FLOATS, init, i2 + oc);
        FloatVector a3 = FloatVector.fromArray(FLOATS, init, i3 + oc);
        for (int t = t0, wi = wStart; t < t1; t++, wi += wStride) {
            int o = taps[t];
            FloatVector w0 = FloatVector.fromArray(FLOATS, w, wi);
            a0 = FloatVector.broadcast(FLOATS, img[b0 + o]).fma(w0, a0);
            a1 = FloatVector.broadcast(FLOATS, img[b1 + o]).fma(w0, a1);
            a2 = FloatVector.broadcast(FLOATS, img[b2 + o]).fma(w0, a2);
            a3 = FloatVector.broadcast(FLOATS, img[b3 + o]).fma(w0, a3);
        }
        a0.intoArray(dst, d0 + oc);
        a1.intoArray(dst, d1 + oc);
        a2.intoArray(dst, d2 + oc);
        a3.intoArray(dst, d3 + oc);
    }

    private static void tile1x4(float[] img, int b, int[] taps, int t0, int t1, float[] w, int ocp, int oc,
                                float[] init, int initStart, float[] dst, int dstStart) {
        final int l = LANES;
        FloatVector a0 = FloatVector.fromArray(FLOATS, init, initStart + oc);
        FloatVector a1 = FloatVector.fromArray(FLOATS, init, initStart + oc + l);
        FloatVector a2 = FloatVector.fromArray(FLOATS, init, initStart + oc + 2 * l);
        FloatVector a3 = FloatVector.fromArray(FLOATS, init, initStart + oc + 3 * l);
        for (int t = t0, wi = t0 * ocp + oc; t < t1; t++, wi += ocp) {
            FloatVector x = FloatVector.broadcast(FLOATS, img[b + taps[t]]);
            a0 = x.fma(FloatVector.fromArray(FLOATS, w, wi), a0);
            a1 = x.fma(FloatVector.fromArray(FLOATS, w, wi + l), a1);
            a2 = x.fma(FloatVector.fromArray(FLOATS, w, wi + 2 * l), a2);
            a3 = x.fma(FloatVector.fromArray(FLOATS, w, wi + 3 * l), a3);
        }
        int d = dstStart + oc;
        a0.intoArray(dst, d);
        a1.intoArray(dst, d + l);
        a2.intoArray(dst, d + 2 * l);
        a3.intoArray(dst, d + 3 * l);
    }

    private static void tile1x1(float[] img, int b, int[] taps, int t0, int t1, float[] w, int ocp, int oc,
                                float[] init, int initStart, float[] dst, int dstStart) {
        FloatVector a0 = FloatVector.fromArray(FLOATS, init, initStart + oc);
        for (int t = t0, wi = t0 * ocp + oc; t < t1; t++, wi += ocp) {
            a0 = FloatVector.broadcast(FLOATS, img[b + taps[t]]).fma(FloatVector.fromArray(FLOATS, w, wi), a0);
        }
        a0.intoArray(dst, dstStart + oc);
    }
}
