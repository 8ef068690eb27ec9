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
 * fused multiply-add rounds anything. Longer dot products are cut into chunks, at least {@value #CHUNK}
 * taps long and longer where the layer's weights allow ({@link FmaTiles#chunkBounds}: the bound holds
 * per chunk and channel with the actual weights): the first chunk's sums stay in the accumulators as float bits (the output stage's bias makes up
 * for the offset, {@link FmaTiles#biasForExactSums}), each later chunk's are added as ints
 * ({@link FmaTiles#addAsInts}: int32 additions, wrapping like the reference); the bias is added in int
 * by {@link VectorRequant}, the output stage.
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
    /** Taps per float chunk whatever the weights: 128 * 128 * 255 &lt; 2^22 ({@link FmaTiles#EXACT_RANGE}). */
    static final int CHUNK = 128;
    /** Floats of one chunk's weights that stay in cache across a {@link #BLOCK} (256 KB): caps chunks of narrow layers. */
    private static final int CHUNK_FLOATS = 1 << 16;
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
    /** Where the taps are cut into exact chunks ({@link FmaTiles#chunkBounds}), the same for every group. */
    private final int[] chunks;

    private Conv2DFloatExact(ConvParams p, FmaConv conv, float[][] weights, VectorRequant requant, int[] chunks) {
        ConvGeometry g = p.geometry;
        this.p = p;
        this.conv = conv;
        this.groupOutputs = g.outputC / g.groups;
        this.groupPadded = FmaTiles.padded(groupOutputs);
        this.weights = weights;
        this.base = new float[groupPadded];
        java.util.Arrays.fill(base, FmaTiles.EXACT_BASE);
        this.requant = requant;
        this.chunks = chunks;
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
        VectorRequant rq = new VectorRequant(g.outputC, FmaTiles.biasForExactSums(Conv2DFast.copyBias(g.outputC, bias, biasStart)),
                p.multipliers, p.shifts, p.outputOffset, p.activationMin, p.activationMax);
        Checks.fitsInt("conv scratch", (long) conv.imageInts() + (BLOCK + 1L) * rq.paddedChannels + (long) P * FmaTiles.padded(groupOutputs));
        int taps = conv.taps;
        int[] chunks = FmaTiles.chunkBounds(taps, g.outputC, (t, oc) -> filter[filterStart + oc * taps + t],
                FmaTiles.maxOffsetInput(p.inputOffset), Math.max(CHUNK, CHUNK_FLOATS / FmaTiles.padded(groupOutputs)));
        return new Conv2DFloatExact(p, conv, w, rq, chunks);
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
        for (int b = 0; b < g.batches; b++) {
            widen(input, inputStart + b * g.inputH * g.inputW * g.inputC, scratch, image);
            for (int block = 0; block < pixels; block += BLOCK) {
                int blockEnd = Math.min(pixels, block + BLOCK);
                for (int group = 0; group < g.groups; group++) {
                    for (int chunk = 0; chunk + 1 < chunks.length; chunk++) {
                        int t0 = chunks[chunk];
                        int t1 = chunks[chunk + 1];
                        for (int pix = block; pix < blockEnd; pix += P) {
                            int n = Math.min(P, blockEnd - pix);
                            int acc = accs + (pix - block) * ocp;
                            if (t0 == 0 && g.groups == 1) {
                                // Float sums straight into the accumulators (same layout with one group); the
                                // bias makes up for their EXACT_BASE_BITS (FmaTiles.biasForExactSums).
                                c.pixels(scratch, image, pix, n, group, weights[group], groupPadded, base, 0, t0, t1, acc);
                            } else {
                                c.pixels(scratch, image, pix, n, group, weights[group], groupPadded, base, 0, t0, t1, tiles);
                                accumulate(scratch, tiles, acc, n, group, t0 > 0);
                            }
                        }
                    }
                }
                for (int pix = block; pix < blockEnd; pix++) {
                    requant.apply(scratch, accs + (pix - block) * ocp, scratch, tmp, output, outputStart + (b * pixels + pix) * outC);
                }
            }
        }
    }

    /**
     * Stores (first chunk: the float sums' bits as they are, see {@link FmaTiles#biasForExactSums}) or
     * adds (later chunks, as ints) the tiles' exact sums into the accumulators of {@code n} pixels.
     */
    private void accumulate(int[] s, int tiles, int accs, int n, int group, boolean add) {
        if (p.geometry.groups == 1) {
            FmaTiles.addAsInts(s, tiles, accs, n * groupPadded);
            return;
        }
        for (int j = 0; j < n; j++) {
            int from = tiles + j * groupPadded;
            int to = accs + j * requant.paddedChannels + group * groupOutputs;
            if (add) {
                FmaTiles.addAsInts(s, from, to, groupOutputs);
            } else {
                System.arraycopy(s, from, s, to, groupOutputs);
            }
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
            VectorWiden.floatBits(input, src + y * row, s, c.rowStart(image, y), row, offset);
        }
    }
}
