package dev.edgeq.runtime.kernels.float32;

import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.int8.FmaConv;
import dev.edgeq.runtime.kernels.int8.FmaTiles;

/**
 * Vector API float 2-D convolution (grouped or not, any stride, dilation and padding) on the shared
 * {@link FmaTiles} micro-kernel: the input copied into a zero-bordered padded image, weights
 * repacked at prepare to {@code [tap][paddedChannels]} per group, each output value the bias plus
 * its taps in (ky, kx, ic) order by fused multiply-adds, then the fused activation's clamp. Close to
 * {@link Conv2DFloat} within the bound stated in {@link FloatKernels}. Loaded only through the
 * {@code VectorSupport} factory.
 *
 * <p>Cache blocking, which changes no bit: the partial sums of {@value #BLOCK} output pixels stay in
 * scratch while the taps are applied in chunks of at most {@value #CHUNK}, and within a chunk one
 * slice of {@value #SLICE_VECTORS} channel vectors at a time runs over all of the block's pixels,
 * so that slice's weights ({@value #CHUNK} taps, 24 KB with 512-bit vectors) are read from L1 once
 * per tile instead of the whole filter streaming from memory per {@value FmaTiles#PIXELS} pixels
 * (ResNet-18's 3x3x512 layers: 9.4 MB of weights each, which ran at 14 GMAC/s against 40 for the
 * early layers). Each chunk continues every output's multiply-add sequence where the last one
 * stopped (the tiles start from the partial sums), so the order of the roundings is the
 * unblocked one.
 *
 * <p>Scratch: the padded image ({@link FmaConv#imageInts()}) and {@code BLOCK * padded(O / groups)}
 * ints of partial sums.
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
    /** Per group: its bias as float bits, padded to whole vectors (zeros without bias). */
    private final int[][] bias;
    private final float actMin;
    private final float actMax;

    private Conv2DFloatVector(ConvGeometry g, FmaConv conv, float[][] weights, int[][] bias, float actMin, float actMax) {
        this.g = g;
        this.conv = conv;
        this.groupOutputs = g.outputC / g.groups;
        this.groupPadded = FmaTiles.padded(groupOutputs);
        this.weights = weights;
        this.bias = bias;
        this.actMin = actMin;
        this.actMax = actMax;
    }

    /** Weights OHWI and bias [O] (or null) from index 0, repacked here. */
    public static Conv2DFloatVector prepare(ConvGeometry g, float[] weights, float[] bias, float actMin, float actMax) {
        FmaConv conv = new FmaConv(g);
        int groupOutputs = g.outputC / g.groups;
        float[][] w = new float[g.groups][];
        int[][] b = new int[g.groups][];
        for (int k = 0; k < g.groups; k++) {
            w[k] = FmaConv.repack(conv.taps, groupOutputs, k * groupOutputs, i -> weights[i]);
            b[k] = FmaTiles.bits(bias, k * groupOutputs, groupOutputs, FmaTiles.padded(groupOutputs));
        }
        return new Conv2DFloatVector(g, conv, w, b, actMin, actMax);
    }

    @Override
    public int scratchInts() {
        return conv.imageInts() + BLOCK * groupPadded;
    }

    @Override
    public void eval(float[] input, int inputStart, float[] output, int outputStart, int[] scratch, int scratchStart) {
        final FmaConv c = conv;
        final int image = scratchStart;
        final int sums = image + c.imageInts();
        final int row = g.inputW * g.inputC;
        final int outC = g.outputC;
        final int ocp = groupPadded;
        final int slice = SLICE_VECTORS * FmaTiles.LANES;
        final int taps = c.taps;
        c.clearBorder(scratch, image);
        for (int y = 0; y < g.inputH; y++) {
            FmaTiles.floatBits(input, inputStart + y * row, scratch, c.rowStart(image, y), row);
        }
        final int pixels = c.outputPixels();
        for (int block = 0; block < pixels; block += BLOCK) {
            int blockEnd = Math.min(pixels, block + BLOCK);
            for (int k = 0; k < g.groups; k++) {
                for (int t0 = 0; t0 < taps; t0 += CHUNK) {
                    int t1 = Math.min(taps, t0 + CHUNK);
                    for (int oc = 0; oc < ocp; oc += slice) {
                        int ocEnd = Math.min(ocp, oc + slice);
                        for (int pix = block; pix < blockEnd; pix += P) {
                            int n = Math.min(P, blockEnd - pix);
                            int at = sums + (pix - block) * ocp;
                            // The first chunk starts from the bias, every later one from the pixels' own partial sums.
                            boolean first = t0 == 0;
                            c.pixels(scratch, image, pix, n, k, weights[k], ocp, oc, ocEnd, first ? bias[k] : scratch,
                                    first ? 0 : at, first ? 0 : ocp, t0, t1, at);
                        }
                    }
                }
                for (int pix = block; pix < blockEnd; pix++) {
                    FmaTiles.clampFloats(scratch, sums + (pix - block) * ocp, output, outputStart + pix * outC + k * groupOutputs,
                            groupOutputs, actMin, actMax);
                }
            }
        }
    }
}
