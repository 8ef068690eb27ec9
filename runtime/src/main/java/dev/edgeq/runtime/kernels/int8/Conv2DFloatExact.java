package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;
import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.float32.FloatTiles;

/**
 * Vector API int8 2-D convolution in float arithmetic, bit-exact with {@link Conv2DReference}: the
 * float convolution's micro-kernel ({@link FloatTiles}) and cache blocking over an image of
 * {@code x + inputOffset} as floats, twice the multiply-adds per instruction of int32 lanes.
 *
 * <p>Why float is exact here: an offset input {@code x + inputOffset} lies in [-255, 255] and a
 * weight in [-128, 127], so every product is an integer of at most 32,640 &lt; 2^15 in magnitude. The
 * taps are cut into exact chunks ({@link FmaTiles#chunkBounds}: per chunk and channel, the actual
 * weights' {@code sum |w| * max|x + offset|} stays within 2^22), so every partial sum of a chunk
 * started at {@link FmaTiles#EXACT_BASE} is an integer in [2^23, 2^24], which float32 represents
 * exactly: no fused multiply-add rounds anything, and the order of the additions does not matter.
 * At each exact chunk's end its sums go into int32 accumulators ({@link FmaTiles#exactSumsToInts}:
 * the first chunk's as float bits, which the bias makes up for, later ones added as ints, wrapping
 * like the reference); {@link VectorRequant} adds the bias and requantizes.
 *
 * <p>Cache blocking, as in {@code Conv2DFloatVector}: the sums of {@value #BLOCK} output pixels stay
 * in float scratch while the taps run in chunks of at most {@value #CHUNK} (within an exact chunk, each
 * continues the sums where the last one stopped), one slice of {@value FmaConv#SLICE_VECTORS}
 * channel vectors over all of the block's pixels at a time, its weights contiguous
 * ({@link FmaConv#bySlices}) and read from L1. A convolution of one output pixel runs as
 * matrix-vector products instead. Groups: each group runs as its own convolution over its slice of
 * the image's channels, with its own repacked weights.
 *
 * <p>Scratch: floats, the padded image ({@link FmaConv#imageInts()}) and the sums of {@value #BLOCK}
 * pixels ({@code BLOCK * padded(outputC / groups)}); ints, the accumulators of {@value #BLOCK} pixels
 * ({@code BLOCK * paddedChannels}) and the requantization's temporary ({@code paddedChannels}).
 */
final class Conv2DFloatExact implements Int8Kernel {
    /** Taps per cache chunk; an exact chunk is at least this long (128 * 128 * 255 &lt; 2^22). */
    static final int CHUNK = 128;
    /** Output pixels whose sums are kept while the chunks of taps run; a multiple of {@link FmaTiles#PIXELS}. */
    static final int BLOCK = 64;
    /** What happens at a cache chunk's end: nothing (its exact chunk goes on), store or add its sums as ints. */
    private static final byte GO_ON = 0;
    private static final byte STORE = 1;
    private static final byte ADD = 2;

    private final ConvParams p;
    private final FmaConv conv;
    private final int groupOutputs;
    private final int groupPadded;
    /** One repacked filter per group: {@link FmaConv#bySlices} over {@link #chunks}, or {@code [tap][ocp]} for one output pixel. */
    private final float[][] weights;
    /** The start of every exact chunk: {@link FmaTiles#EXACT_BASE} per channel. */
    private final float[] base;
    private final VectorRequant requant;
    /** Cache chunks' bounds: the exact chunks ({@link FmaTiles#chunkBounds}) cut every {@value #CHUNK} taps. */
    private final int[] chunks;
    /** Per cache chunk: whether it starts an exact chunk. */
    private final boolean[] restart;
    /** Per cache chunk: {@link #GO_ON}, {@link #STORE} or {@link #ADD}. */
    private final byte[] flush;

    private Conv2DFloatExact(ConvParams p, FmaConv conv, float[][] weights, VectorRequant requant, int[] exact, int[] chunks) {
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
        int n = chunks.length - 1;
        this.restart = new boolean[n];
        this.flush = new byte[n];
        for (int c = 0, e = 0; c < n; c++) {
            restart[c] = chunks[c] == exact[e];
            if (chunks[c + 1] == exact[e + 1]) {
                flush[c] = e == 0 ? STORE : ADD;
                e++;
            }
        }
    }

    static Conv2DFloatExact prepare(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        ConvGeometry g = p.geometry;
        Checks.array("conv filter", filter, filterStart, g.convFilterSize());
        FmaConv conv = new FmaConv(g);
        int groupOutputs = g.outputC / g.groups;
        int groupPadded = FmaTiles.padded(groupOutputs);
        int taps = conv.taps;
        int[] exact = FmaTiles.chunkBounds(taps, g.outputC, (t, oc) -> filter[filterStart + oc * taps + t],
                FmaTiles.maxOffsetInput(p.inputOffset), taps);
        int[] chunks = FmaConv.chunks(exact, CHUNK);
        float[][] w = new float[g.groups][];
        for (int group = 0; group < g.groups; group++) {
            w[group] = FmaConv.repack(taps, groupOutputs, group * groupOutputs, i -> filter[filterStart + i]);
            if (conv.outputPixels() > 1) {
                w[group] = FmaConv.bySlices(w[group], chunks, groupPadded);
            }
        }
        VectorRequant rq = new VectorRequant(g.outputC, FmaTiles.biasForExactSums(Conv2DFast.copyBias(g.outputC, bias, biasStart)),
                p.multipliers, p.shifts, p.outputOffset, p.activationMin, p.activationMax);
        Checks.fitsInt("conv scratch", (long) conv.imageInts() + (long) BLOCK * groupPadded);
        Checks.fitsInt("conv scratch", (BLOCK + 1L) * rq.paddedChannels);
        return new Conv2DFloatExact(p, conv, w, rq, exact, chunks);
    }

    @Override
    public int scratchInts() {
        return BLOCK * requant.paddedChannels + requant.paddedChannels;
    }

    @Override
    public int scratchFloats() {
        return conv.imageInts() + BLOCK * groupPadded;
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart,
                     float[] floatScratch, int floatScratchStart) {
        final ConvGeometry g = p.geometry;
        final FmaConv c = conv;
        final float[] f = floatScratch;
        final int ocp = requant.paddedChannels;
        final int gp = groupPadded;
        final int outC = g.outputC;
        final int image = floatScratchStart;
        final int sums = image + c.imageInts();
        final int accs = scratchStart;
        final int tmp = accs + BLOCK * ocp;
        final int[] offsets = c.tapOffsets();
        final int pixels = c.outputPixels();
        for (int b = 0; b < g.batches; b++) {
            widen(input, inputStart + b * g.inputH * g.inputW * g.inputC, f, image);
            for (int block = 0; block < pixels; block += BLOCK) {
                int blockEnd = Math.min(pixels, block + BLOCK);
                for (int k = 0; k < g.groups; k++) {
                    float[] w = weights[k];
                    for (int ch = 0; ch + 1 < chunks.length; ch++) {
                        int t0 = chunks[ch];
                        int t1 = chunks[ch + 1];
                        boolean first = restart[ch];
                        if (pixels == 1) {
                            FloatTiles.pixel1(f, c.base(image, k, 0), offsets, t0, t1, w, gp, first ? base : f, first ? 0 : sums,
                                    f, sums);
                        } else {
                            FloatTiles.block(f, c, image, k, block, blockEnd, t0, t1, w, gp, base, first, f, sums);
                        }
                        if (flush[ch] != GO_ON) {
                            toInts(f, sums, scratch, accs, blockEnd - block, k, flush[ch] == ADD);
                        }
                    }
                }
                for (int pix = block; pix < blockEnd; pix++) {
                    requant.apply(scratch, accs + (pix - block) * ocp, scratch, tmp, output, outputStart + (b * pixels + pix) * outC);
                }
            }
        }
    }

    /** An exact chunk's float sums of {@code n} pixels stored or added, as ints, into group {@code group}'s accumulators. */
    private void toInts(float[] f, int sums, int[] s, int accs, int n, int group, boolean add) {
        final int go = groupOutputs;
        if (p.geometry.groups == 1) {
            // The sums and the accumulators have the same layout (padded lanes: requantized and thrown away).
            FmaTiles.exactSumsToInts(f, sums, s, accs, n * groupPadded, add);
            return;
        }
        for (int j = 0; j < n; j++) {
            FmaTiles.exactSumsToInts(f, sums + j * groupPadded, s, accs + j * requant.paddedChannels + group * go, go, add);
        }
    }

    /** Copies one batch into the padded float image as {@code x + inputOffset}. */
    private void widen(byte[] input, int src, float[] f, int image) {
        final FmaConv c = conv;
        final ConvGeometry g = p.geometry;
        final int row = g.inputW * g.inputC;
        c.clearBorder(f, image);
        for (int y = 0; y < g.inputH; y++) {
            VectorWiden.floats(input, src + y * row, f, c.rowStart(image, y), row, p.inputOffset);
        }
    }
}
