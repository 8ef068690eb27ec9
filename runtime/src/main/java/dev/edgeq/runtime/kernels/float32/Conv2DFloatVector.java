package dev.edgeq.runtime.kernels.float32;

import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.int8.FmaConv;
import dev.edgeq.runtime.kernels.int8.FmaTiles;

/**
 * Vector API float 2-D convolution (grouped or not, any stride, dilation and padding) on the
 * {@link FloatTiles} micro-kernel: with padding, the input copied into a zero-bordered padded image;
 * weights repacked at prepare per group, channels innermost, in the order the blocked loop below
 * reads them ({@link FmaConv#bySlices}); each output value the bias plus its taps in (ky, kx, ic) order by
 * fused multiply-adds, then the fused activation's clamp. Close to
 * {@link Conv2DFloat} within the bound stated in {@link FloatKernels}. Loaded only through the
 * {@code VectorSupport} factory.
 *
 * <p>Cache blocking, which changes no bit: the partial sums of {@value #BLOCK} output pixels stay in
 * scratch while the taps are applied in chunks of at most {@value #CHUNK}, and within a chunk one
 * slice of {@value FmaConv#SLICE_VECTORS} channel vectors at a time runs over all of the block's pixels,
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
    /** Output pixels whose partial sums are kept while the chunks of taps run; a multiple of {@link FmaTiles#PIXELS}. */
    static final int BLOCK = 64;
    /** Taps per chunk. */
    static final int CHUNK = 128;

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
        int[] chunks = FmaConv.chunks(new int[] {0, conv.taps}, CHUNK);
        int groupOutputs = g.outputC / g.groups;
        float[][] w = new float[g.groups][];
        float[][] b = new float[g.groups][];
        for (int k = 0; k < g.groups; k++) {
            w[k] = FmaConv.repack(conv.taps, groupOutputs, k * groupOutputs, i -> weights[i]);
            if (conv.outputPixels() > 1) {
                w[k] = FmaConv.bySlices(w[k], chunks, FmaTiles.padded(groupOutputs));
            }
            b[k] = new float[FmaTiles.padded(groupOutputs)];
            if (bias != null) {
                System.arraycopy(bias, k * groupOutputs, b[k], 0, groupOutputs);
            }
        }
        return new Conv2DFloatVector(g, conv, w, b, actMin, actMax);
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
                    FloatTiles.block(img, c, image, k, block, blockEnd, t0, t1, w, ocp, bias[k], t0 == 0, scratch, sums);
                }
                for (int pix = block; pix < blockEnd; pix++) {
                    FloatTiles.clamp(scratch, sums + (pix - block) * ocp, output, outputStart + pix * outC + k * go, go,
                            actMin, actMax);
                }
            }
        }
    }
}
