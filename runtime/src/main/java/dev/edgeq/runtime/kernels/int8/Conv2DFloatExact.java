package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;
import dev.edgeq.runtime.kernels.ConvGeometry;

/**
 * Vector API int8 2-D convolution in float arithmetic, bit-exact with {@link Conv2DReference}: the
 * shared {@link FmaTiles} micro-kernel, twice the multiply-adds per instruction of int32 lanes.
 *
 * <p>Why float is exact here: an offset input {@code x + inputOffset} lies in [-255, 255] and a
 * weight in [-128, 127], so every product is at most 32,640 &lt; 2^15 in magnitude; {@value #CHUNK}
 * such products add at most 4,177,920 &lt; 2^22, so every partial sum started at
 * {@link FmaTiles#EXACT_BASE} is an integer in [2^23, 2^24], which float32 represents exactly: no
 * fused multiply-add rounds anything. Longer dot products are cut into chunks of {@value #CHUNK}
 * taps, each chunk's sums read back as ints ({@link FmaTiles#addAsInts}: int32 additions, wrapping
 * like the reference); the bias is added in int by {@link VectorRequant}, the output stage.
 *
 * <p>Groups: each group runs as its own convolution over its slice of the image's channels, with
 * its own repacked weights.
 *
 * <p>Scratch: the padded image ({@link FmaConv#imageInts()}), the tiles' float sums for
 * {@value FmaTiles#PIXELS} pixels ({@code 4 * padded(outputC / groups)} ints), the int
 * accumulators of {@value #BLOCK} pixels ({@code 64 * paddedChannels}) and the requantization's
 * temporary ({@code paddedChannels}).
 */
final class Conv2DFloatExact implements Int8Kernel {
    /** Taps per float chunk: 128 * 128 * 255 &lt; 2^22 ({@link FmaTiles#EXACT_RANGE}). */
    static final int CHUNK = 128;
    private static final int P = FmaTiles.PIXELS;
    /**
     * Output pixels whose accumulators are kept while one chunk of the weights is applied to all of
     * them: the chunk ({@value #CHUNK} taps x paddedChannels floats, 256 KB at 512 channels) stays in
     * cache across the block instead of the whole filter being streamed from memory once per
     * {@value FmaTiles#PIXELS} pixels (ResNet-18's 7x7x512 layers: 9.4 MB of weights, 2 GMAC/s).
     */
    static final int BLOCK = 64;

    private final ConvParams p;
    private final FmaConv conv;
    private final int groupOutputs;
    private final int groupPadded;
    /** One repacked filter per group. */
    private final float[][] weights;
    /** {@link FmaTiles#EXACT_BASE} per channel: the tiles' start values. */
    private final float[] base;
    private final VectorRequant requant;

    private Conv2DFloatExact(ConvParams p, FmaConv conv, float[][] weights, VectorRequant requant) {
        ConvGeometry g = p.geometry;
        this.p = p;
        this.conv = conv;
        this.groupOutputs = g.outputC / g.groups;
        this.groupPadded = FmaTiles.padded(groupOutputs);
        this.weights = weights;
        this.base = new float[groupPadded];
        java.util.Arrays.fill(base, FmaTiles.EXACT_BASE);
        this.requant = requant;
    }

    static Conv2DFloatExact prepare(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        ConvGeometry g = p.geometry;
        Checks.array("conv filter", filter, filterStart, g.convFilterSize());
        FmaConv conv = new FmaConv(g);
        int groupOutputs = g.outputC / g.groups;
        float[][] w = new float[g.groups][];
        for (int group = 0; group < g.groups; group++) {
            w[group] = FmaConv.repack(conv.taps, groupOutputs, group * groupOutputs, i -> filter[filterStart + i]);
        }
        VectorRequant rq = new VectorRequant(g.outputC, Conv2DFast.copyBias(g.outputC, bias, biasStart),
                p.multipliers, p.shifts, p.outputOffset, p.activationMin, p.activationMax);
        Checks.fitsInt("conv scratch", (long) conv.imageInts() + (BLOCK + 1L) * rq.paddedChannels + (long) P * FmaTiles.padded(groupOutputs));
        return new Conv2DFloatExact(p, conv, w, rq);
    }

    @Override
    public int scratchInts() {
        return conv.imageInts() + P * groupPadded + BLOCK * requant.paddedChannels + requant.paddedChannels;
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart) {
        final ConvParams p = this.p;
        final ConvGeometry g = p.geometry;
        final FmaConv c = conv;
        final int ocp = requant.paddedChannels;
        final int outC = g.outputC;
        final int image = scratchStart;
        final int tiles = image + c.imageInts();
        final int accs = tiles + P * groupPadded;
        final int tmp = accs + BLOCK * ocp;
        final int pixels = c.outputPixels();
        final int k = c.taps;
        for (int b = 0; b < g.batches; b++) {
            widen(input, inputStart + b * g.inputH * g.inputW * g.inputC, scratch, image);
            for (int block = 0; block < pixels; block += BLOCK) {
                int blockEnd = Math.min(pixels, block + BLOCK);
                for (int group = 0; group < g.groups; group++) {
                    for (int t0 = 0; t0 < k; t0 += CHUNK) {
                        int t1 = Math.min(k, t0 + CHUNK);
                        for (int pix = block; pix < blockEnd; pix += P) {
                            int n = Math.min(P, blockEnd - pix);
                            c.pixels(scratch, image, pix, n, group, weights[group], groupPadded, base, 0, t0, t1, tiles);
                            accumulate(scratch, tiles, accs + (pix - block) * ocp, n, group, t0 > 0);
                        }
                    }
                }
                for (int pix = block; pix < blockEnd; pix++) {
                    requant.apply(scratch, accs + (pix - block) * ocp, scratch, tmp, output, outputStart + (b * pixels + pix) * outC);
                }
            }
        }
    }

    /** Stores (first chunk) or adds the tiles' exact sums as ints into the group's accumulators. */
    private void accumulate(int[] s, int tiles, int accs, int n, int group, boolean add) {
        if (p.geometry.groups == 1) {
            FmaTiles.addAsInts(s, tiles, accs, n * groupPadded, add);
            return;
        }
        for (int j = 0; j < n; j++) {
            FmaTiles.addAsInts(s, tiles + j * groupPadded, accs + j * requant.paddedChannels + group * groupOutputs, groupOutputs, add);
        }
    }

    /** Copies one batch into the padded image as float bits of {@code x + inputOffset}. */
    private void widen(byte[] input, int src, int[] s, int image) {
        final FmaConv c = conv;
        final int offset = p.inputOffset;
        final ConvGeometry g = p.geometry;
        final int row = g.inputW * g.inputC;
        c.clearBorder(s, image);
        for (int y = 0; y < g.inputH; y++) {
            int d = c.rowStart(image, y);
            int from = src + y * row;
            for (int i = 0; i < row; i++) {
                s[d + i] = Float.floatToRawIntBits(input[from + i] + offset);
            }
        }
    }
}
