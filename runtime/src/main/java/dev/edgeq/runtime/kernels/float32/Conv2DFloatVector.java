package dev.edgeq.runtime.kernels.float32;

import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.int8.FmaConv;
import dev.edgeq.runtime.kernels.int8.FmaTiles;

/**
 * Vector API float 2-D convolution (grouped or not, any stride, dilation and padding) on the
 * {@link FloatTiles} micro-kernel: with padding, the input copied into a zero-bordered padded image;
 * weights repacked at prepare per group, channels innermost, in the order the blocked loop below
 * reads them ({@link #bySlices}); each output value the bias plus its taps in (ky, kx, ic) order by
 * fused multiply-adds, then the fused activation's clamp. Close to
 * {@link Conv2DFloat} within the bound stated in {@link FloatKernels}. Loaded only through the
 * {@code VectorSupport} factory.
 *
 * <p>Cache blocking, which changes no bit: the partial sums of {@value #BLOCK} output pixels stay in
 * scratch while the taps are applied in chunks of at most {@value #CHUNK}, and within a chunk one
 * slice of {@value #SLICE_VECTORS} channel vectors at a time runs over all of the block's pixels,
 * so that the slice's weights ({@value #CHUNK} taps, 24 KB with 512-bit vectors) are read from L1
 * once per tile instead of the whole filter streaming from memory every 4 pixels (ResNet-18's
 * 3x3x512 layers: 9.4 MB of weights each, 14 GMAC/s unblocked against 40 for the early layers).
 * Each chunk continues every output's multiply-add chain where the last one stopped, so the
 * roundings are the unblocked ones. A convolution of one output pixel (squeeze-and-excitation's)
 * runs as one matrix-vector product instead.
 *
 * <p>Scratch: the padded image ({@link FmaConv#imageInts()} floats; none without padding, where the
 * tiles read the input in place) and {@code BLOCK * padded(O / groups)} floats of partial sums.
 */
public final class Conv2DFloatVector implements FloatKernel {
    private static final int P = FmaTiles.PIXELS;
    /** Output pixels whose partial sums are kept while the chunks of taps run; a multiple of {@link FmaTiles#PIXELS}. */
    static final int BLOCK = 64;
    /** Taps per chunk. */
    static final int CHUNK = 128;
    /** Channel vectors per slice: the widest tile's. */
    static final int SLICE_VECTORS = 3;

    private final ConvGeometry g;
    private final FmaConv conv;
    private final int groupOutputs;
    private final int groupPadded;
    private final float[][] weights;
    /** Per group: its bias, padded to whole vectors (zeros without bias). */
    private final float[][] bias;
    private final float actMin;
    private final float actMax;
    /** Whether the input needs a padded copy; without padding the tiles read the input in place. */
    private final boolean padded;

    private Conv2DFloatVector(ConvGeometry g, FmaConv conv, float[][] weights, float[][] bias, float actMin, float actMax) {
        this.g = g;
        this.conv = conv;
        this.groupOutputs = g.outputC / g.groups;
        this.groupPadded = FmaTiles.padded(groupOutputs);
        this.weights = weights;
        this.bias = bias;
        this.actMin = actMin;
        this.actMax = actMax;
        this.padded = g.padTop > 0 || g.padLeft > 0 || g.padBottom > 0 || g.padRight > 0;
    }

    /** Weights OHWI and bias [O] (or null) from index 0, repacked here. */
    public static Conv2DFloatVector prepare(ConvGeometry g, float[] weights, float[] bias, float actMin, float actMax) {
        FmaConv conv = new FmaConv(g);
        int groupOutputs = g.outputC / g.groups;
        float[][] w = new float[g.groups][];
        float[][] b = new float[g.groups][];
        for (int k = 0; k < g.groups; k++) {
            w[k] = FmaConv.repack(conv.taps, groupOutputs, k * groupOutputs, i -> weights[i]);
            if (conv.outputPixels() > 1) {
                w[k] = bySlices(w[k], conv.taps, FmaTiles.padded(groupOutputs));
            }
            b[k] = new float[FmaTiles.padded(groupOutputs)];
            if (bias != null) {
                System.arraycopy(bias, k * groupOutputs, b[k], 0, groupOutputs);
            }
        }
        return new Conv2DFloatVector(g, conv, w, b, actMin, actMax);
    }

    /**
     * Weights {@code [tap][ocp]} rearranged in the order the blocked loop reads them: chunk by chunk
     * of {@value #CHUNK} taps, within a chunk slice by slice of {@value #SLICE_VECTORS} channel vectors,
     * each slice's taps contiguous ({@link #sliceStart}). With rows of the whole {@code ocp} a tile
     * read 128 short runs 4 ocp bytes apart, which the hardware prefetcher does not follow across pages:
     * ResNet-18's late layers, whose 2.4-9.4 MB of weights stream from memory, ran at 28 GMAC/s.
     */
    private static float[] bySlices(float[] rows, int taps, int ocp) {
        int slice = SLICE_VECTORS * FmaTiles.LANES;
        float[] w = new float[rows.length];
        for (int t0 = 0; t0 < taps; t0 += CHUNK) {
            int t1 = Math.min(taps, t0 + CHUNK);
            for (int oc = 0; oc < ocp; oc += slice) {
                int width = Math.min(ocp, oc + slice) - oc;
                int start = sliceStart(t0, t1, oc, ocp);
                for (int t = t0; t < t1; t++) {
                    System.arraycopy(rows, t * ocp + oc, w, start + (t - t0) * width, width);
                }
            }
        }
        return w;
    }

    /** Where the slice of channels from {@code oc} of chunk {@code [t0, t1)} starts in {@link #bySlices}' order. */
    private static int sliceStart(int t0, int t1, int oc, int ocp) {
        return t0 * ocp + oc * (t1 - t0);
    }

    @Override
    public int scratchFloats() {
        return (padded ? conv.imageInts() : 0) + BLOCK * groupPadded;
    }

    @Override
    public void eval(float[] input, int inputStart, float[] output, int outputStart, float[] scratch, int scratchStart) {
        final FmaConv c = conv;
        final float[] img = padded ? scratch : input;
        final int image = padded ? scratchStart : inputStart;
        final int sums = padded ? scratchStart + c.imageInts() : scratchStart;
        final int row = g.inputW * g.inputC;
        final int outC = g.outputC;
        final int go = groupOutputs;
        final int ocp = groupPadded;
        final int slice = SLICE_VECTORS * FmaTiles.LANES;
        final int taps = c.taps;
        final int[] offsets = c.tapOffsets();
        if (padded) {
            c.clearBorder(scratch, image);
            for (int y = 0; y < g.inputH; y++) {
                System.arraycopy(input, inputStart + y * row, scratch, c.rowStart(image, y), row);
            }
        }
        final int pixels = c.outputPixels();
        if (pixels == 1) {
            for (int k = 0; k < g.groups; k++) {
                FloatTiles.pixel1(img, c.base(image, k, 0), offsets, 0, taps, weights[k], ocp, bias[k], 0, scratch, sums);
                FloatTiles.clamp(scratch, sums, output, outputStart + k * go, go, actMin, actMax);
            }
            return;
        }
        for (int block = 0; block < pixels; block += BLOCK) {
            int blockEnd = Math.min(pixels, block + BLOCK);
            for (int k = 0; k < g.groups; k++) {
                float[] w = weights[k];
                for (int t0 = 0; t0 < taps; t0 += CHUNK) {
                    int t1 = Math.min(taps, t0 + CHUNK);
                    // The first chunk starts from the bias, every later one from the pixels' own partial sums.
                    boolean first = t0 == 0;
                    float[] init = first ? bias[k] : scratch;
                    for (int oc = 0; oc < ocp; oc += slice) {
                        int ocEnd = Math.min(ocp, oc + slice);
                        for (int pix = block; pix < blockEnd; pix += P) {
                            // Past the block's end (its last pixels), the last pixel is computed again into
                            // the unused sums of the next ones: the block's sums have room for BLOCK pixels.
                            int last = Math.min(P, blockEnd - pix) - 1;
                            int d = sums + (pix - block) * ocp;
                            FloatTiles.pixels4(img, c.base(image, k, pix), c.base(image, k, pix + Math.min(1, last)),
                                    c.base(image, k, pix + Math.min(2, last)), c.base(image, k, pix + last), offsets, t0, t1,
                                    w, sliceStart(t0, t1, oc, ocp), ocEnd - oc, oc, ocEnd,
                                    init, first ? 0 : d, first ? 0 : d + ocp, first ? 0 : d + 2 * ocp, first ? 0 : d + 3 * ocp,
                                    scratch, d, d + ocp, d + 2 * ocp, d + 3 * ocp);
                        }
                    }
                }
                for (int pix = block; pix < blockEnd; pix++) {
                    FloatTiles.clamp(scratch, sums + (pix - block) * ocp, output, outputStart + pix * outC + k * go, go,
                            actMin, actMax);
                }
            }
        }
    }
}
