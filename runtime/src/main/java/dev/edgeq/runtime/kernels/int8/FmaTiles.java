package dev.edgeq.runtime.kernels.int8;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The int8 Vector API kernels' float arithmetic ({@link Conv2DFloatExact}, {@link
 * FullyConnectedFloatExact}): the exact-sum scheme ({@link #EXACT_BASE}, {@link #chunkBounds},
 * {@link #exactSumsToInts}, {@link #biasForExactSums}), the vector width ({@link #LANES},
 * {@link #padded}), and the fully connected kernel's matrix-vector tiles over an {@code int[]}
 * scratch of float bits ({@link #pixel1}, {@link #pixel1Bytes}). The convolutions' tiles are
 * {@code float32.FloatTiles}, over {@code float[]} arrays only. Loaded only through {@link VectorSupport}.
 *
 * <p>A tile computes {@code init[oc] + sum over taps t in [t0, t1) of img[b + taps[t]] * w[t][oc]}
 * for a few channel vectors at once, each broadcast input feeding every channel vector; the results
 * go to {@code dst} as float bits. One flat loop over taps: with a nested loop (kernel positions,
 * then channels) C2 on JDK 17 kept the accumulators boxed, 0.5 GMAC/s instead of tens.
 *
 * <p>Why the results do not depend on the vector width: each lane is one output channel and adds its
 * taps one {@code fma} at a time in tap order, so 512-bit x86 and 128-bit NEON compute the same
 * sequence of roundings per output (no horizontal reduction anywhere). Bases and tap offsets are
 * indices into the image, not checked here: the caller's geometry guarantees them.
 */
public final class FmaTiles {
    static final VectorSpecies<Float> FLOATS = VectorKernelFactory.FLOATS;
    private static final VectorSpecies<Integer> INTS = VectorKernelFactory.INTS;
    /** Float lanes per vector. */
    public static final int LANES = FLOATS.length();
    /** Pixels of a full convolution tile ({@code float32.FloatTiles}). */
    public static final int PIXELS = 4;
    /** Byte weights loaded per step: {@link #LANES} of them, at least 64 bits (see {@link VectorWiden}). */
    private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_PREFERRED
            .withShape(VectorShape.forBitSize(Math.max(64, LANES * 8))).check(byte.class);
    /** Float vectors per byte load: 1, or 2 where floats are 128-bit. */
    private static final int BYTE_PARTS = BYTES.length() / LANES;
    /**
     * Whether {@link #pixel1Bytes} may run: floats of at least 128 bits (x86, arm64). With 64-bit vectors
     * (32-bit ARM) C2 compiled the 64-bit byte loads at unaligned offsets into a SIGBUS under
     * tools/arm-check's armhf JVM, so the fully connected kernel keeps float weights there.
     */
    static final boolean BYTE_WEIGHTS = BYTE_PARTS <= 2;
    /** Bytes a byte-weight array needs past its last row, for the last row's widest load. */
    static final int BYTE_WEIGHTS_SLACK = BYTES.length();

    private FmaTiles() {
    }

    /** {@code n} rounded up to whole vectors. */
    public static int padded(int n) {
        return (n + LANES - 1) / LANES * LANES;
    }

    /**
     * Exact float sums started at {@link #EXACT_BASE} ({@code f[from..from + n)}) into int32
     * accumulators: stored as their bits ({@code add} false: the bias makes up for
     * {@link #EXACT_BASE_BITS}, {@link #biasForExactSums}) or added as ints (wrapping like the
     * reference). The bits come from {@code reinterpretShape} of a species constant, the one float-to-int
     * step C2 on JDK 17 intrinsifies everywhere (a conversion in lanes is not on AVX2; a scalar loop
     * cost MobileNetV2's 112x112 layers about 1 ns per output).
     */
    static void exactSumsToInts(float[] f, int from, int[] s, int to, int n, boolean add) {
        final int l = LANES;
        int i = 0;
        if (add) {
            for (; i + l <= n; i += l) {
                MINUS_BASE.add(FloatVector.fromArray(FLOATS, f, from + i).reinterpretShape(INTS, 0))
                        .add(IntVector.fromArray(INTS, s, to + i)).intoArray(s, to + i);
            }
            for (; i < n; i++) {
                s[to + i] += Float.floatToRawIntBits(f[from + i]) - EXACT_BASE_BITS;
            }
        } else {
            for (; i + l <= n; i += l) {
                VectorWiden.NO_INTS.or(FloatVector.fromArray(FLOATS, f, from + i).reinterpretShape(INTS, 0)).intoArray(s, to + i);
            }
            for (; i < n; i++) {
                s[to + i] = Float.floatToRawIntBits(f[from + i]);
            }
        }
    }

    /** One pixel (base {@code b}) times all {@code paddedChannels} channels: a matrix-vector product. */
    public static void pixel1(int[] img, int b, int[] taps, int t0, int t1,
                              float[] w, int paddedChannels, float[] init, int initStart, int[] dst, int dstStart) {
        final int l = LANES;
        int oc = 0;
        for (; oc + 4 * l <= paddedChannels; oc += 4 * l) {
            tile1x4(img, b, taps, t0, t1, w, paddedChannels, oc, init, initStart, dst, dstStart);
        }
        for (; oc < paddedChannels; oc += l) {
            tile1x1(img, b, taps, t0, t1, w, paddedChannels, oc, init, initStart, dst, dstStart);
        }
    }

    /**
     * The start value of the int8 kernels' exact float sums, 1.5 * 2^23: every float in [2^23, 2^24]
     * is an integer (spacing 1), so while a sum's taps add at most 2^22 in magnitude each partial sum
     * {@code EXACT_BASE + v} is an exact integer, and its bits are {@code v + EXACT_BASE_BITS}: the
     * int result is one integer subtraction (no float-to-int conversion, which C2 on JDK 17 does not
     * vectorize on AVX2).
     */
    public static final float EXACT_BASE = 12582912f;
    /** {@code Float.floatToRawIntBits(EXACT_BASE)}. */
    static final int EXACT_BASE_BITS = 0x4B400000;
    /** {@code -EXACT_BASE_BITS} in every lane, a constant receiver (see {@link VectorWiden#NO_INTS}). */
    private static final IntVector MINUS_BASE = IntVector.broadcast(INTS, -EXACT_BASE_BITS);
    /** Largest magnitude an exact float sum may add to {@link #EXACT_BASE}. */
    static final int EXACT_RANGE = 1 << 22;

    /**
     * Where the int8 kernels cut a dot product of {@code taps} taps into chunks of exact float sums:
     * {@code [0, b1, ..., taps]}, each chunk as long as, in every channel, the sum of its
     * {@code |weight| * maxInput} stays within {@link #EXACT_RANGE} (then every partial sum started at
     * {@link #EXACT_BASE} is an exact float integer, whatever the inputs) and at most {@code maxTaps}
     * long. Cutting by the actual weights rather than the worst case (128 taps of weight -128) makes
     * real layers' chunks several times longer (random-init MobileNetV2's 1x1 layers: one chunk up to
     * a few hundred taps), which saves each later chunk's store and int addition.
     *
     * @param weight   offset weight of (tap, channel)
     * @param maxInput the largest {@code |x + inputOffset|} an input can have
     */
    static int[] chunkBounds(int taps, int channels, TapWeight weight, int maxInput, int maxTaps) {
        long[] sums = new long[channels];
        int[] bounds = new int[taps + 1];
        int n = 1; // bounds[0] = 0
        int start = 0;
        for (int t = 0; t < taps; t++) {
            boolean cut = t - start == maxTaps;
            for (int c = 0; c < channels && !cut; c++) {
                cut = sums[c] + (long) Math.abs(weight.at(t, c)) * maxInput > EXACT_RANGE;
            }
            if (cut) {
                bounds[n++] = t;
                start = t;
                java.util.Arrays.fill(sums, 0);
            }
            for (int c = 0; c < channels; c++) {
                sums[c] += (long) Math.abs(weight.at(t, c)) * maxInput;
            }
        }
        bounds[n++] = taps;
        return java.util.Arrays.copyOf(bounds, n);
    }

    /** {@code max |x + offset|} over int8 inputs x. */
    static int maxOffsetInput(int offset) {
        return Math.max(Math.abs(-128 + offset), Math.abs(127 + offset));
    }

    /** An int8 kernel's offset weight of (tap, channel). */
    interface TapWeight {
        int at(int tap, int channel);
    }

    /**
     * {@code bias[c] - EXACT_BASE_BITS} per channel (wrapping like int32): the output stage's bias for
     * accumulators that hold the bits of exact float sums ({@code v + EXACT_BASE_BITS}) instead of
     * the int {@code v}. The int8 kernels let their first chunk of taps write its float sums straight
     * into the accumulators this way: no conversion pass, and {@code acc + bias} is the same int32.
     */
    static int[] biasForExactSums(int[] bias) {
        int[] b = bias.clone();
        for (int c = 0; c < b.length; c++) {
            b[c] -= EXACT_BASE_BITS;
        }
        return b;
    }

    /**
     * {@code s[to + i] += s[from + i] - EXACT_BASE_BITS} for i in [0, n): the exact float sums of a
     * later chunk of taps, started at {@link #EXACT_BASE}, added to int32 accumulators (wrapping like
     * the reference). A plain loop that C2 vectorizes by itself: written with the Vector API it
     * measured slower on JDK 17 (a store of {@code IntVector.sub(int)} was not intrinsified).
     */
    public static void addAsInts(int[] s, int from, int to, int n) {
        for (int i = 0; i < n; i++) {
            s[to + i] += s[from + i] - EXACT_BASE_BITS;
        }
    }

    /**
     * {@link #pixel1} with int8 weights {@code w[t][paddedChannels]} (plus {@link #BYTE_WEIGHTS_SLACK}
     * bytes at the end) and consecutive taps {@code img[b + t]}: the fully connected kernel's form.
     * Each weight is widened to float in the lane (exact), so the sums are those of float weights,
     * bit for bit, from a quarter of the memory: a 1280 x 1000 classifier reads 1.3 MB per inference
     * instead of 5 MB, which bound it by memory bandwidth.
     */
    static void pixel1Bytes(int[] img, int b, int t0, int t1, byte[] w, int paddedChannels,
                            float[] init, int initStart, int[] dst, int dstStart) {
        final int l = LANES;
        int oc = 0;
        for (; oc + 4 * l <= paddedChannels; oc += 4 * l) {
            tile1x4Bytes(img, b, t0, t1, w, paddedChannels, oc, init, initStart, dst, dstStart);
        }
        for (; oc < paddedChannels; oc += l) {
            tile1x1Bytes(img, b, t0, t1, w, paddedChannels, oc, init, initStart, dst, dstStart);
        }
    }

    /** One channel vector: a method of its own, like {@link #tile1x1}, so that C2 compiles the small loop whole. */
    private static void tile1x1Bytes(int[] img, int b, int t0, int t1,
                                     byte[] w, int ocp, int oc, float[] init, int initStart, int[] dst, int dstStart) {
        FloatVector a0 = load(init, initStart + oc);
        for (int t = t0, wi = t0 * ocp + oc; t < t1; t++, wi += ocp) {
            a0 = at(img, b + t).fma((FloatVector) ByteVector.fromArray(BYTES, w, wi).convertShape(VectorOperators.B2F, FLOATS, 0), a0);
        }
        store(a0, dst, dstStart + oc);
    }

    /** Four channel vectors; the conversions' part numbers are constants, which C2 needs to intrinsify them. */
    private static void tile1x4Bytes(int[] img, int b, int t0, int t1,
                                     byte[] w, int ocp, int oc, float[] init, int initStart, int[] dst, int dstStart) {
        final int l = LANES;
        FloatVector a0 = load(init, initStart + oc), a1 = load(init, initStart + oc + l);
        FloatVector a2 = load(init, initStart + oc + 2 * l), a3 = load(init, initStart + oc + 3 * l);
        if (BYTE_PARTS == 1) {
            for (int t = t0, wi = t0 * ocp + oc; t < t1; t++, wi += ocp) {
                FloatVector x = at(img, b + t);
                a0 = x.fma((FloatVector) ByteVector.fromArray(BYTES, w, wi).convertShape(VectorOperators.B2F, FLOATS, 0), a0);
                a1 = x.fma((FloatVector) ByteVector.fromArray(BYTES, w, wi + l).convertShape(VectorOperators.B2F, FLOATS, 0), a1);
                a2 = x.fma((FloatVector) ByteVector.fromArray(BYTES, w, wi + 2 * l).convertShape(VectorOperators.B2F, FLOATS, 0), a2);
                a3 = x.fma((FloatVector) ByteVector.fromArray(BYTES, w, wi + 3 * l).convertShape(VectorOperators.B2F, FLOATS, 0), a3);
            }
        } else {
            for (int t = t0, wi = t0 * ocp + oc; t < t1; t++, wi += ocp) {
                FloatVector x = at(img, b + t);
                ByteVector w01 = ByteVector.fromArray(BYTES, w, wi);
                ByteVector w23 = ByteVector.fromArray(BYTES, w, wi + 2 * l);
                a0 = x.fma((FloatVector) w01.convertShape(VectorOperators.B2F, FLOATS, 0), a0);
                a1 = x.fma((FloatVector) w01.convertShape(VectorOperators.B2F, FLOATS, 1), a1);
                a2 = x.fma((FloatVector) w23.convertShape(VectorOperators.B2F, FLOATS, 0), a2);
                a3 = x.fma((FloatVector) w23.convertShape(VectorOperators.B2F, FLOATS, 1), a3);
            }
        }
        int d = dstStart + oc;
        store(a0, dst, d);
        store(a1, dst, d + l);
        store(a2, dst, d + 2 * l);
        store(a3, dst, d + 3 * l);
    }

    private static FloatVector at(int[] img, int i) {
        return FloatVector.broadcast(FLOATS, Float.intBitsToFloat(img[i]));
    }

    private static FloatVector load(float[] a, int i) {
        return FloatVector.fromArray(FLOATS, a, i);
    }

    /** The float bits of {@code v} into {@code dst} (see {@link VectorWiden#NO_INTS}). */
    private static void store(FloatVector v, int[] dst, int i) {
        VectorWiden.NO_INTS.or(v.reinterpretShape(INTS, 0)).intoArray(dst, i);
    }

    // The tiles below differ only in their block shape; each is written out so that C2 keeps every
    // accumulator in a register (a loop over an accumulator array would spill them).

    private static void tile1x4(int[] img, int b, int[] taps, int t0, int t1,
                                float[] w, int ocp, int oc, float[] init, int initStart, int[] dst, int dstStart) {
        final int l = LANES;
        FloatVector a0 = load(init, initStart + oc), a1 = load(init, initStart + oc + l);
        FloatVector a2 = load(init, initStart + oc + 2 * l), a3 = load(init, initStart + oc + 3 * l);
        for (int t = t0, wi = t0 * ocp + oc; t < t1; t++, wi += ocp) {
            FloatVector x = at(img, b + taps[t]);
            a0 = x.fma(load(w, wi), a0);
            a1 = x.fma(load(w, wi + l), a1);
            a2 = x.fma(load(w, wi + 2 * l), a2);
            a3 = x.fma(load(w, wi + 3 * l), a3);
        }
        int d = dstStart + oc;
        store(a0, dst, d);
        store(a1, dst, d + l);
        store(a2, dst, d + 2 * l);
        store(a3, dst, d + 3 * l);
    }

    private static void tile1x1(int[] img, int b, int[] taps, int t0, int t1,
                                float[] w, int ocp, int oc, float[] init, int initStart, int[] dst, int dstStart) {
        FloatVector a0 = load(init, initStart + oc);
        for (int t = t0, wi = t0 * ocp + oc; t < t1; t++, wi += ocp) {
                a0 = at(img, b + taps[t]).fma(load(w, wi), a0);
        }
        store(a0, dst, dstStart + oc);
    }
}
