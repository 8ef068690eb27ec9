package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;
import dev.edgeq.runtime.kernels.ConvGeometry;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API int8 depthwise convolution in float lanes ("float-exact"), any depth multiplier,
 * bit-exact with {@link DepthwiseConv2DReference}.
 *
 * <p>Why floats give exact int32 sums: every product of an int8 weight (-128..127) and an offset
 * input (-255..255) is below 2^15 in magnitude, and a depthwise tap count is small; while
 * {@code taps * 2^15 < 2^24} every partial sum is an integer a float32 holds exactly, so float FMA
 * (one instruction, twice the throughput of an int32 lane multiply) gives the int32 accumulator
 * bit for bit. Prepare refuses filters with more taps ({@link #MAX_TAPS}); the bias is added in int
 * by the output stage ({@link VectorRequant}).
 *
 * <p>Layout: output channels in lanes, padded to whole vectors. Eval widens the input rows a band of
 * output rows reads into a ring of {@code (kernelH - 1) * dilationH + 1} zero-bordered
 * float rows (offset applied, each input channel repeated {@code depthMultiplier} times, so output
 * channel {@code oc} reads lane {@code oc} whatever the multiplier), each input row once: the ring
 * stays in the L1/L2 cache where a whole padded image would not. The tap loop then has no bounds
 * tests. Taps are summed in a fixed order per lane, so the result does not depend on the vector width.
 *
 * <p>Scratch (ints; floats stored as their bits): ring rows, the tap offsets of one output row, four
 * pixels' accumulators and the output stage's temporary.
 */
final class DepthwiseConv2DFloatExact implements Int8Kernel {
    private static final VectorSpecies<Integer> INTS = VectorKernelFactory.INTS;
    private static final VectorSpecies<Float> FLOATS = VectorKernelFactory.FLOATS;
    private static final int L = INTS.length();
    /**
     * Most filter positions: sums stay below 2^22 in magnitude (taps * 2^15 <= 2^22), exact as floats
     * and convertible by {@link #MAGIC}.
     */
    static final int MAX_TAPS = 1 << 7;
    /**
     * 1.5 * 2^23: adding it to an integer-valued float v with |v| < 2^22 gives a float whose bits are
     * {@code MAGIC_BITS + v}, a float-to-int conversion in two plain lane operations (C2 on JDK 17
     * does not intrinsify the F2I conversion on x86).
     */
    private static final float MAGIC = 12582912f;
    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
    /** Output pixels computed together. */
    private static final int BLOCK = 4;

    private final ConvParams p;
    /** Output channels padded to whole vectors. */
    private final int cp;
    /** Filter as float, {@code [tap][cp]}, zero in the padding lanes. */
    private final float[] weights;
    private final VectorRequant requant;
    private final int ringRows;
    private final int paddedWidth;
    /** Offset of tap (ky, kx) inside its ring row: {@code kx * dilationW * cp}. */
    private final int[] columnOffsets;

    private DepthwiseConv2DFloatExact(ConvParams p, float[] weights, VectorRequant requant) {
        ConvGeometry g = p.geometry;
        this.p = p;
        this.cp = requant.paddedChannels;
        this.weights = weights;
        this.requant = requant;
        this.ringRows = (g.kernelH - 1) * g.dilationH + 1;
        this.paddedWidth = g.inputW + g.padLeft + g.padRight;
        this.columnOffsets = new int[g.kernelW];
        for (int kx = 0; kx < g.kernelW; kx++) {
            columnOffsets[kx] = kx * g.dilationW * cp;
        }
        Checks.fitsInt("depthwise scratch", (long) ringRows * paddedWidth * cp + g.kernelH * g.kernelW + (BLOCK + 1L) * cp);
    }

    /** True when this kernel computes {@code p} exactly (few enough taps for exact float sums). */
    static boolean supports(ConvParams p) {
        ConvGeometry g = p.geometry;
        return g.kernelH * g.kernelW <= MAX_TAPS;
    }

    static DepthwiseConv2DFloatExact prepare(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        ConvGeometry g = p.geometry;
        DepthwiseConv2DFast.checkDepthwise(p);
        if (!supports(p)) {
            throw new IllegalArgumentException("DepthwiseConv2DFloatExact needs at most " + MAX_TAPS + " filter positions, got "
                    + g.kernelH + "x" + g.kernelW);
        }
        Checks.array("depthwise filter", filter, filterStart, g.depthwiseFilterSize());
        VectorRequant rq = new VectorRequant(g.outputC, Conv2DFast.copyBias(g.outputC, bias, biasStart),
                p.multipliers, p.shifts, p.outputOffset, p.activationMin, p.activationMax);
        int taps = g.kernelH * g.kernelW;
        int cp = rq.paddedChannels;
        float[] w = new float[taps * cp];
        for (int t = 0; t < taps; t++) {
            for (int c = 0; c < g.outputC; c++) {
                w[t * cp + c] = filter[filterStart + t * g.outputC + c];
            }
        }
        return new DepthwiseConv2DFloatExact(p, w, rq);
    }

    private int rowInts() {
        return paddedWidth * cp;
    }

    @Override
    public int scratchInts() {
        return ringRows * rowInts() + p.geometry.kernelH * p.geometry.kernelW + (BLOCK + 1) * cp;
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart,
                     float[] floatScratch, int floatScratchStart) {
        final ConvParams p = this.p;
        final ConvGeometry g = p.geometry;
        final int cp = this.cp;
        final int rowInts = rowInts();
        final int ring = scratchStart;
        final int tapTable = ring + ringRows * rowInts;
        final int acc = tapTable + g.kernelH * g.kernelW;
        final int tmp = acc + BLOCK * cp;
        final int kh = g.kernelH;
        final int kw = g.kernelW;
        final int nTaps = kh * kw;
        final int pixelStep = g.strideW * cp;
        final int batchInput = g.inputH * g.inputW * g.inputC;
        int out = outputStart;
        for (int b = 0; b < g.batches; b++) {
            int src = inputStart + b * batchInput;
            int loaded = -1; // highest padded row in the ring
            for (int oy = 0; oy < g.outputH; oy++) {
                int top = oy * g.strideH;
                int last = top + (kh - 1) * g.dilationH;
                for (int py = Math.max(loaded + 1, top); py <= last; py++) {
                    loadRow(input, src, py, scratch, ring + (py % ringRows) * rowInts);
                }
                loaded = Math.max(loaded, last);
                for (int ky = 0; ky < kh; ky++) {
                    int row = ring + ((top + ky * g.dilationH) % ringRows) * rowInts;
                    for (int kx = 0; kx < kw; kx++) {
                        scratch[tapTable + ky * kw + kx] = row + columnOffsets[kx];
                    }
                }
                int ox = 0;
                int pixel = 0;
                // Four output pixels at a time: four independent FMA chains (one chain waits on the FMA
                // latency at every tap) sharing each weight load. Vectors never cross a method boundary (one
                // passed to or returned from a method C2 does not inline is boxed), and reinterpretShape with
                // the species keeps each vector's class exact for C2 (reinterpretAsX leaves it to a type
                // profile that other kernels' species pollute, and boxes).
                for (; ox + BLOCK <= g.outputW; ox += BLOCK, pixel += BLOCK * pixelStep) {
                    sumBlock(scratch, tapTable, nTaps, pixel, pixelStep, acc);
                    for (int k = 0; k < BLOCK; k++) {
                        requant.apply(scratch, acc + k * cp, scratch, tmp, output, out);
                        out += g.outputC;
                    }
                }
                for (; ox < g.outputW; ox++, pixel += pixelStep) {
                    sumPixel(scratch, tapTable, nTaps, pixel, acc);
                    requant.apply(scratch, acc, scratch, tmp, output, out);
                    out += g.outputC;
                }
            }
        }
    }

    /**
     * The exact tap sums of {@link #BLOCK} output pixels ({@code pixel}, {@code pixel + pixelStep}, ...)
     * as ints into {@code s[acc + k * cp ..]}. A method of its own so that C2 compiles it whole: inside
     * the large eval it left some vector operations boxed (measured on JDK 17).
     */
    private void sumBlock(int[] s, int tapTable, int nTaps, int pixel, int pixelStep, int acc) {
        final int cp = this.cp;
        final float[] w = weights;
        for (int c = 0; c < cp; c += L) {
            FloatVector a0 = FloatVector.zero(FLOATS);
            FloatVector a1 = FloatVector.zero(FLOATS);
            FloatVector a2 = FloatVector.zero(FLOATS);
            FloatVector a3 = FloatVector.zero(FLOATS);
            for (int t = 0; t < nTaps; t++) {
                int x = s[tapTable + t] + pixel + c;
                FloatVector wt = FloatVector.fromArray(FLOATS, w, t * cp + c);
                a0 = ((FloatVector) IntVector.fromArray(INTS, s, x).reinterpretShape(FLOATS, 0)).fma(wt, a0);
                a1 = ((FloatVector) IntVector.fromArray(INTS, s, x + pixelStep).reinterpretShape(FLOATS, 0)).fma(wt, a1);
                a2 = ((FloatVector) IntVector.fromArray(INTS, s, x + 2 * pixelStep).reinterpretShape(FLOATS, 0)).fma(wt, a2);
                a3 = ((FloatVector) IntVector.fromArray(INTS, s, x + 3 * pixelStep).reinterpretShape(FLOATS, 0)).fma(wt, a3);
            }
            ((IntVector) a0.add(MAGIC).reinterpretShape(INTS, 0)).sub(MAGIC_BITS).intoArray(s, acc + c);
            ((IntVector) a1.add(MAGIC).reinterpretShape(INTS, 0)).sub(MAGIC_BITS).intoArray(s, acc + cp + c);
            ((IntVector) a2.add(MAGIC).reinterpretShape(INTS, 0)).sub(MAGIC_BITS).intoArray(s, acc + 2 * cp + c);
            ((IntVector) a3.add(MAGIC).reinterpretShape(INTS, 0)).sub(MAGIC_BITS).intoArray(s, acc + 3 * cp + c);
        }
    }

    /** The exact tap sums of one output pixel as ints into {@code s[acc..]}. */
    private void sumPixel(int[] s, int tapTable, int nTaps, int pixel, int acc) {
        final int cp = this.cp;
        final float[] w = weights;
        for (int c = 0; c < cp; c += L) {
            FloatVector a = FloatVector.zero(FLOATS);
            for (int t = 0; t < nTaps; t++) {
                a = ((FloatVector) IntVector.fromArray(INTS, s, s[tapTable + t] + pixel + c).reinterpretShape(FLOATS, 0))
                        .fma(FloatVector.fromArray(FLOATS, w, t * cp + c), a);
            }
            ((IntVector) a.add(MAGIC).reinterpretShape(INTS, 0)).sub(MAGIC_BITS).intoArray(s, acc + c);
        }
    }

    /**
     * Padded row {@code py} (input row {@code py - padTop}) into one ring row: zeros in the padding,
     * else {@code input + inputOffset} as float bits, each input channel repeated depthMultiplier
     * times, zeros in the padding lanes.
     */
    private void loadRow(byte[] input, int src, int py, int[] s, int row) {
        final ConvParams p = this.p;
        final ConvGeometry g = p.geometry;
        final int cp = this.cp;
        int y = py - g.padTop;
        if (y < 0 || y >= g.inputH) {
            java.util.Arrays.fill(s, row, row + rowInts(), 0);
            return;
        }
        java.util.Arrays.fill(s, row, row + g.padLeft * cp, 0);
        int inC = g.inputC;
        int from = src + y * g.inputW * inC;
        int d = row + g.padLeft * cp;
        if (g.depthMultiplier == 1 && inC == cp) {
            int n = g.inputW * inC;
            VectorWiden.floatBits(input, from, s, d, n, p.inputOffset);
            d += n;
        } else if (g.depthMultiplier == 1) {
            for (int x = 0; x < g.inputW; x++, from += inC, d += cp) {
                VectorWiden.floatBits(input, from, s, d, inC, p.inputOffset);
                java.util.Arrays.fill(s, d + inC, d + cp, 0);
            }
        } else {
            int mult = g.depthMultiplier;
            int offset = p.inputOffset;
            for (int x = 0; x < g.inputW; x++, from += inC, d += cp) {
                for (int ic = 0; ic < inC; ic++) {
                    int v = Float.floatToRawIntBits(input[from + ic] + offset);
                    for (int m = 0; m < mult; m++) {
                        s[d + ic * mult + m] = v;
                    }
                }
                java.util.Arrays.fill(s, d + g.outputC, d + cp, 0);
            }
        }
        java.util.Arrays.fill(s, d, row + rowInts(), 0);
    }
}
