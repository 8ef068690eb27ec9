package dev.edgeq.runtime.kernels.int8;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked float multiply-add micro-kernel shared by the Vector API convolution and
 * fully connected kernels, float ({@code float32.Conv2DFloatVector}, {@code FullyConnectedFloatVector})
 * and int8 ({@link Conv2DFloatExact}, {@link FullyConnectedFloatExact}). Loaded only through
 * {@link VectorSupport}.
 *
 * <p>Data, all prepared by the caller:
 * <ul>
 *   <li>an image in an {@code int[]} holding float bits ({@link Float#floatToRawIntBits}), because the
 *       kernels' scratch arena is an {@code int[]}: a zero-bordered padded NHWC image, so no tap needs a
 *       bounds test (padding contributes {@code 0 * w});</li>
 *   <li>weights {@code float[tap][paddedChannels]}, output channels innermost (zero past the real ones);</li>
 *   <li>taps walked as kernel positions x channels: tap {@code t} is channel {@code t % channels} at
 *       image offset {@code positions[t / channels]} from a pixel's base index (the inner loop over
 *       channels is then linear, so C2 hoists its range checks).</li>
 * </ul>
 * A tile computes {@code init[oc] + sum over taps t in [t0, t1) of image[base + tap(t)] * w[t][oc]}
 * for a few pixels and a few channel vectors at once, each weight load feeding every pixel and each
 * broadcast input every channel vector; the results go to {@code dst} as float bits, pixel {@code j}
 * at {@code dstStart + j * paddedChannels}.
 *
 * <p>Why the results do not depend on the vector width: each lane is one output channel and adds its
 * taps one {@code fma} at a time in tap order, so 512-bit x86 and 128-bit NEON compute the same
 * sequence of roundings per output (no horizontal reduction anywhere). Bases and positions are
 * indices into the image, not checked here: the caller's geometry guarantees them.
 */
public final class FmaTiles {
    static final VectorSpecies<Integer> INTS = VectorKernelFactory.INTS;
    static final VectorSpecies<Float> FLOATS = VectorSpecies.of(float.class, INTS.vectorShape());
    /** Float lanes per vector. */
    public static final int LANES = FLOATS.length();
    /** Pixels of a full tile. */
    public static final int PIXELS = 4;

    private FmaTiles() {
    }

    /** {@code n} rounded up to whole vectors. */
    public static int padded(int n) {
        return (n + LANES - 1) / LANES * LANES;
    }

    /**
     * {@link #PIXELS} pixels (bases {@code b0..b3}; repeat a base to compute fewer) times all
     * {@code paddedChannels} channels, taps {@code [t0, t1)}, channel vectors tiled by three.
     */
    public static void pixels4(int[] img, int b0, int b1, int b2, int b3, int[] positions, int channels, int t0, int t1,
                               float[] w, int paddedChannels, float[] init, int initStart, int[] dst, int dstStart) {
        final int l = LANES;
        int oc = 0;
        for (; oc + 3 * l <= paddedChannels; oc += 3 * l) {
            tile4x3(img, b0, b1, b2, b3, positions, channels, t0, t1, w, paddedChannels, oc, init, initStart, dst, dstStart);
        }
        if (oc + 2 * l <= paddedChannels) {
            tile4x2(img, b0, b1, b2, b3, positions, channels, t0, t1, w, paddedChannels, oc, init, initStart, dst, dstStart);
        } else if (oc < paddedChannels) {
            tile4x1(img, b0, b1, b2, b3, positions, channels, t0, t1, w, paddedChannels, oc, init, initStart, dst, dstStart);
        }
    }

    /** One pixel (base {@code b}) times all {@code paddedChannels} channels: a matrix-vector product. */
    public static void pixel1(int[] img, int b, int[] positions, int channels, int t0, int t1,
                              float[] w, int paddedChannels, float[] init, int initStart, int[] dst, int dstStart) {
        final int l = LANES;
        int oc = 0;
        for (; oc + 4 * l <= paddedChannels; oc += 4 * l) {
            tile1x4(img, b, positions, channels, t0, t1, w, paddedChannels, oc, init, initStart, dst, dstStart);
        }
        for (; oc < paddedChannels; oc += l) {
            tile1x1(img, b, positions, channels, t0, t1, w, paddedChannels, oc, init, initStart, dst, dstStart);
        }
    }

    /**
     * {@code s[to + i] (+)= (int) float(s[from + i])} for i in [0, n) ({@code n} whole vectors): the
     * int8 kernels' exact float chunk sums into their int32 accumulators, stored for the first chunk
     * ({@code add} false) and added (wrapping like int32) for the others.
     */
    static void addAsInts(int[] s, int from, int to, int n, boolean add) {
        for (int i = 0; i < n; i += LANES) {
            IntVector v = (IntVector) IntVector.fromArray(INTS, s, from + i).reinterpretAsFloats().convert(VectorOperators.F2I, 0);
            if (add) {
                v = v.add(IntVector.fromArray(INTS, s, to + i));
            }
            v.intoArray(s, to + i);
        }
    }

    private static FloatVector at(int[] img, int i) {
        return IntVector.broadcast(INTS, img[i]).reinterpretAsFloats();
    }

    private static FloatVector load(float[] a, int i) {
        return FloatVector.fromArray(FLOATS, a, i);
    }

    private static void store(FloatVector v, int[] dst, int i) {
        v.reinterpretAsInts().intoArray(dst, i);
    }

    // The tiles below differ only in their block shape; each is written out so that C2 keeps every
    // accumulator in a register (a loop over an accumulator array would spill them).

    private static void tile4x3(int[] img, int b0, int b1, int b2, int b3, int[] positions, int channels, int t0, int t1,
                                float[] w, int ocp, int oc, float[] init, int initStart, int[] dst, int dstStart) {
        final int l = LANES;
        FloatVector a00 = load(init, initStart + oc), a01 = load(init, initStart + oc + l), a02 = load(init, initStart + oc + 2 * l);
        FloatVector a10 = a00, a11 = a01, a12 = a02;
        FloatVector a20 = a00, a21 = a01, a22 = a02;
        FloatVector a30 = a00, a31 = a01, a32 = a02;
        for (int kp = t0 / channels; kp * channels < t1; kp++) {
            int first = kp * channels;
            int c0 = Math.max(t0 - first, 0);
            int c1 = Math.min(t1 - first, channels);
            int o = positions[kp];
            int x0 = b0 + o, x1 = b1 + o, x2 = b2 + o, x3 = b3 + o;
            for (int c = c0, wi = (first + c0) * ocp + oc; c < c1; c++, wi += ocp) {
                FloatVector w0 = load(w, wi), w1 = load(w, wi + l), w2 = load(w, wi + 2 * l);
                FloatVector x = at(img, x0 + c);
                a00 = x.fma(w0, a00);
                a01 = x.fma(w1, a01);
                a02 = x.fma(w2, a02);
                x = at(img, x1 + c);
                a10 = x.fma(w0, a10);
                a11 = x.fma(w1, a11);
                a12 = x.fma(w2, a12);
                x = at(img, x2 + c);
                a20 = x.fma(w0, a20);
                a21 = x.fma(w1, a21);
                a22 = x.fma(w2, a22);
                x = at(img, x3 + c);
                a30 = x.fma(w0, a30);
                a31 = x.fma(w1, a31);
                a32 = x.fma(w2, a32);
            }
        }
        int d = dstStart + oc;
        store(a00, dst, d);
        store(a01, dst, d + l);
        store(a02, dst, d + 2 * l);
        d += ocp;
        store(a10, dst, d);
        store(a11, dst, d + l);
        store(a12, dst, d + 2 * l);
        d += ocp;
        store(a20, dst, d);
        store(a21, dst, d + l);
        store(a22, dst, d + 2 * l);
        d += ocp;
        store(a30, dst, d);
        store(a31, dst, d + l);
        store(a32, dst, d + 2 * l);
    }

    private static void tile4x2(int[] img, int b0, int b1, int b2, int b3, int[] positions, int channels, int t0, int t1,
                                float[] w, int ocp, int oc, float[] init, int initStart, int[] dst, int dstStart) {
        final int l = LANES;
        FloatVector a00 = load(init, initStart + oc), a01 = load(init, initStart + oc + l);
        FloatVector a10 = a00, a11 = a01;
        FloatVector a20 = a00, a21 = a01;
        FloatVector a30 = a00, a31 = a01;
        for (int kp = t0 / channels; kp * channels < t1; kp++) {
            int first = kp * channels;
            int c0 = Math.max(t0 - first, 0);
            int c1 = Math.min(t1 - first, channels);
            int o = positions[kp];
            int x0 = b0 + o, x1 = b1 + o, x2 = b2 + o, x3 = b3 + o;
            for (int c = c0, wi = (first + c0) * ocp + oc; c < c1; c++, wi += ocp) {
                FloatVector w0 = load(w, wi), w1 = load(w, wi + l);
                FloatVector x = at(img, x0 + c);
                a00 = x.fma(w0, a00);
                a01 = x.fma(w1, a01);
                x = at(img, x1 + c);
                a10 = x.fma(w0, a10);
                a11 = x.fma(w1, a11);
                x = at(img, x2 + c);
                a20 = x.fma(w0, a20);
                a21 = x.fma(w1, a21);
                x = at(img, x3 + c);
                a30 = x.fma(w0, a30);
                a31 = x.fma(w1, a31);
            }
        }
        int d = dstStart + oc;
        store(a00, dst, d);
        store(a01, dst, d + l);
        d += ocp;
        store(a10, dst, d);
        store(a11, dst, d + l);
        d += ocp;
        store(a20, dst, d);
        store(a21, dst, d + l);
        d += ocp;
        store(a30, dst, d);
        store(a31, dst, d + l);
    }

    private static void tile4x1(int[] img, int b0, int b1, int b2, int b3, int[] positions, int channels, int t0, int t1,
                                float[] w, int ocp, int oc, float[] init, int initStart, int[] dst, int dstStart) {
        FloatVector a0 = load(init, initStart + oc), a1 = a0, a2 = a0, a3 = a0;
        for (int kp = t0 / channels; kp * channels < t1; kp++) {
            int first = kp * channels;
            int c0 = Math.max(t0 - first, 0);
            int c1 = Math.min(t1 - first, channels);
            int o = positions[kp];
            int x0 = b0 + o, x1 = b1 + o, x2 = b2 + o, x3 = b3 + o;
            for (int c = c0, wi = (first + c0) * ocp + oc; c < c1; c++, wi += ocp) {
                FloatVector w0 = load(w, wi);
                a0 = at(img, x0 + c).fma(w0, a0);
                a1 = at(img, x1 + c).fma(w0, a1);
                a2 = at(img, x2 + c).fma(w0, a2);
                a3 = at(img, x3 + c).fma(w0, a3);
            }
        }
        int d = dstStart + oc;
        store(a0, dst, d);
        store(a1, dst, d + ocp);
        store(a2, dst, d + 2 * ocp);
        store(a3, dst, d + 3 * ocp);
    }

    private static void tile1x4(int[] img, int b, int[] positions, int channels, int t0, int t1,
                                float[] w, int ocp, int oc, float[] init, int initStart, int[] dst, int dstStart) {
        final int l = LANES;
        FloatVector a0 = load(init, initStart + oc), a1 = load(init, initStart + oc + l);
        FloatVector a2 = load(init, initStart + oc + 2 * l), a3 = load(init, initStart + oc + 3 * l);
        for (int kp = t0 / channels; kp * channels < t1; kp++) {
            int first = kp * channels;
            int c0 = Math.max(t0 - first, 0);
            int c1 = Math.min(t1 - first, channels);
            int x0 = b + positions[kp];
            for (int c = c0, wi = (first + c0) * ocp + oc; c < c1; c++, wi += ocp) {
                FloatVector x = at(img, x0 + c);
                a0 = x.fma(load(w, wi), a0);
                a1 = x.fma(load(w, wi + l), a1);
                a2 = x.fma(load(w, wi + 2 * l), a2);
                a3 = x.fma(load(w, wi + 3 * l), a3);
            }
        }
        int d = dstStart + oc;
        store(a0, dst, d);
        store(a1, dst, d + l);
        store(a2, dst, d + 2 * l);
        store(a3, dst, d + 3 * l);
    }

    private static void tile1x1(int[] img, int b, int[] positions, int channels, int t0, int t1,
                                float[] w, int ocp, int oc, float[] init, int initStart, int[] dst, int dstStart) {
        FloatVector a0 = load(init, initStart + oc);
        for (int kp = t0 / channels; kp * channels < t1; kp++) {
            int first = kp * channels;
            int c0 = Math.max(t0 - first, 0);
            int c1 = Math.min(t1 - first, channels);
            int x0 = b + positions[kp];
            for (int c = c0, wi = (first + c0) * ocp + oc; c < c1; c++, wi += ocp) {
                a0 = at(img, x0 + c).fma(load(w, wi), a0);
            }
        }
        store(a0, dst, dstStart + oc);
    }
}
