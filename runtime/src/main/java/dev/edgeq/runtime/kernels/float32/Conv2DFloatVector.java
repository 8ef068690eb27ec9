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
 * <p>Cache blocking, where each group's outputs are whole vectors and there are at least two
 * output pixels (ResNet's and SqueezeNet's layers; the others run unblocked, 4 pixels at a time
 * over all taps): the partial sums of {@value #BLOCK} output pixels stay in the output itself while
 * the taps are applied in chunks of at most {@value #CHUNK}, and within a chunk one slice of
 * {@value #SLICE_VECTORS} channel vectors at a time runs over all of the block's pixels, so that
 * the slice's weights ({@value #CHUNK} taps, 24 KB with 512-bit vectors) are read from L1 once per
 * tile instead of the whole filter streaming from memory every 4 pixels (ResNet-18's 3x3x512
 * layers: 9.4 MB of weights each). Each chunk continues every output's multiply-add chain where the
 * last one stopped, so the roundings are the unblocked ones, bit for bit. The partial sums live in
 * the output ({@code float[]}) rather than in the {@code int[]} scratch as float bits because
 * vectors reinterpreted from an {@code int[]} were boxed by C2 on JDK 17 in some test JVMs.
 *
 * <p>Scratch: the padded image ({@link FmaConv#imageInts()}) and, unblocked,
 * {@code 4 * padded(O / groups)} ints of tile results.
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
    /** Whether {@link #eval} runs cache-blocked (see the class comment). */
    private final boolean blocked;

    private Conv2DFloatVector(ConvGeometry g, FmaConv conv, float[][] weights, float[][] bias, float actMin, float actMax) {
        this.g = g;
        this.conv = conv;
        this.groupOutputs = g.outputC / g.groups;
        this.groupPadded = FmaTiles.padded(groupOutputs);
        this.weights = weights;
        this.bias = bias;
        this.actMin = actMin;
        this.actMax = actMax;
        this.blocked = groupOutputs % FmaTiles.LANES == 0 && conv.outputPixels() > 1;
    }

    /** Weights OHWI and bias [O] (or null) from index 0, repacked here. */
    public static Conv2DFloatVector prepare(ConvGeometry g, float[] weights, float[] bias, float actMin, float actMax) {
        FmaConv conv = new FmaConv(g);
        int groupOutputs = g.outputC / g.groups;
        float[][] w = new float[g.groups][];
        float[][] b = new float[g.groups][];
        for (int k = 0; k < g.groups; k++) {
            w[k] = FmaConv.repack(conv.taps, groupOutputs, k * groupOutputs, i -> weights[i]);
            b[k] = new float[FmaTiles.padded(groupOutputs)];
            if (bias != null) {
                System.arraycopy(bias, k * groupOutputs, b[k], 0, groupOutputs);
            }
        }
        return new Conv2DFloatVector(g, conv, w, b, actMin, actMax);
    }

    @Override
    public int scratchInts() {
        return conv.imageInts() + (blocked ? 0 : P * groupPadded);
    }

    @Override
    public void eval(float[] input, int inputStart, float[] output, int outputStart, int[] scratch, int scratchStart) {
        final FmaConv c = conv;
        final int image = scratchStart;
        final int tiles = image + c.imageInts();
        final int row = g.inputW * g.inputC;
        final int outC = g.outputC;
        c.clearBorder(scratch, image);
        for (int y = 0; y < g.inputH; y++) {
            FmaTiles.floatBits(input, inputStart + y * row, scratch, c.rowStart(image, y), row);
        }
        if (blocked) {
            evalBlocked(scratch, image, output, outputStart);
            return;
        }
        final int pixels = c.outputPixels();
        for (int pix = 0; pix < pixels; pix += P) {
            int n = Math.min(P, pixels - pix);
            for (int k = 0; k < g.groups; k++) {
                c.pixels(scratch, image, pix, n, k, weights[k], groupPadded, bias[k], 0, 0, c.taps, tiles);
                for (int j = 0; j < n; j++) {
                    FmaTiles.clampFloats(scratch, tiles + j * groupPadded, output, outputStart + (pix + j) * outC + k * groupOutputs,
                            groupOutputs, actMin, actMax);
                }
            }
        }
    }

    private void evalBlocked(int[] scratch, int image, float[] output, int outputStart) {
        final FmaConv c = conv;
        final int outC = g.outputC;
        final int go = groupOutputs;
        final int slice = SLICE_VECTORS * FmaTiles.LANES;
        final int taps = c.taps;
        final int pixels = c.outputPixels();
        for (int block = 0; block < pixels; block += BLOCK) {
            int blockEnd = Math.min(pixels, block + BLOCK);
            for (int k = 0; k < g.groups; k++) {
                float[] w = weights[k];
                int groupOut = outputStart + k * go;
                for (int t0 = 0; t0 < taps; t0 += CHUNK) {
                    int t1 = Math.min(taps, t0 + CHUNK);
                    for (int oc = 0; oc < go; oc += slice) {
                        int ocEnd = Math.min(go, oc + slice);
                        for (int pix = block; pix < blockEnd; pix += P) {
                            int at = groupOut + pix * outC;
                            // The first chunk starts from the bias, every later one from the pixels' own partial sums.
                            boolean first = t0 == 0;
                            c.pixels(scratch, image, pix, Math.min(P, blockEnd - pix), k, w, go, oc, ocEnd, t0, t1,
                                    first ? bias[k] : output, first ? 0 : at, first ? 0 : outC, output, at, outC);
                        }
                    }
                }
                for (int pix = block; pix < blockEnd; pix++) {
                    FmaTiles.clampInPlace(output, groupOut + pix * outC, go, actMin, actMax);
                }
            }
        }
    }
}
