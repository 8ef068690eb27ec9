package dev.edgeq.runtime.kernels.int8;

/**
 * Vector API int8 2-D convolution in float arithmetic, bit-exact with {@link Conv2DReference}: the
 * shared {@link FmaTiles} micro-kernel, twice the multiply-adds per instruction of int32 lanes.
 *
 * <p>Why float is exact here: an offset input {@code x + inputOffset} lies in [-255, 255] and a
 * weight in [-128, 127], so every product is at most 32,640 &lt; 2^15 in magnitude; every partial sum
 * of at most {@value #CHUNK} such products is an integer below 2^24, which float32 represents
 * exactly, so each fused multiply-add rounds nothing. Longer dot products are cut into chunks of
 * {@value #CHUNK} taps, each chunk converted to int and added in int32 (wrapping like the reference);
 * the bias is added in int by {@link VectorRequant}, the output stage.
 *
 * <p>Groups: each group runs as its own convolution over its slice of the image's channels, with
 * its own repacked weights.
 *
 * <p>Scratch: the padded image ({@link FmaConv#imageInts()}), then per group of {@value FmaTiles#PIXELS}
 * pixels the tiles' float results, the int accumulators and the requantization's temporary
 * ({@code 4 * paddedChannels} ints each for the first two, {@code paddedChannels} for the last).
 */
final class Conv2DFloatExact implements Int8Kernel {
    /** Taps per float chunk: 512 * 128 * 255 = 16,711,680 &lt; 2^24. */
    static final int CHUNK = 512;
    private static final int P = FmaTiles.PIXELS;

    private final ConvParams p;
    private final FmaConv conv;
    private final int groupOutputs;
    private final int groupPadded;
    /** One repacked filter per group. */
    private final float[][] weights;
    private final float[] zeros;
    private final VectorRequant requant;

    private Conv2DFloatExact(ConvParams p, FmaConv conv, float[][] weights, VectorRequant requant) {
        this.p = p;
        this.conv = conv;
        this.groupOutputs = p.outputChannels / p.groups;
        this.groupPadded = FmaTiles.padded(groupOutputs);
        this.weights = weights;
        this.zeros = new float[groupPadded];
        this.requant = requant;
    }

    static Conv2DFloatExact prepare(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        Checks.array("conv filter", filter, filterStart, p.convFilterSize());
        FmaConv conv = new FmaConv(p.inputHeight, p.inputWidth, p.inputChannels, p.outputHeight, p.outputWidth,
                p.filterHeight, p.filterWidth, p.strideHeight, p.strideWidth, p.dilationHeight, p.dilationWidth,
                p.padTop, p.padLeft, p.padBottom, p.padRight, p.groupInputChannels());
        int groupOutputs = p.outputChannels / p.groups;
        float[][] w = new float[p.groups][];
        for (int g = 0; g < p.groups; g++) {
            w[g] = FmaConv.repack(conv.taps, groupOutputs, g * groupOutputs, i -> filter[filterStart + i]);
        }
        VectorRequant rq = new VectorRequant(p.outputChannels, Conv2DFast.copyBias(p.outputChannels, bias, biasStart),
                p.multipliers, p.shifts, p.outputOffset, p.activationMin, p.activationMax);
        Checks.fitsInt("conv scratch", (long) conv.imageInts() + 2L * P * rq.paddedChannels + 2L * P * FmaTiles.padded(groupOutputs));
        return new Conv2DFloatExact(p, conv, w, rq);
    }

    @Override
    public int scratchInts() {
        return conv.imageInts() + P * Math.max(groupPadded, requant.paddedChannels) + P * requant.paddedChannels
                + requant.paddedChannels;
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart) {
        final ConvParams p = this.p;
        final FmaConv c = conv;
        final int ocp = requant.paddedChannels;
        final int outC = p.outputChannels;
        final int image = scratchStart;
        final int tiles = image + c.imageInts();
        final int accs = tiles + P * Math.max(groupPadded, ocp);
        final int tmp = accs + P * ocp;
        final int pixels = c.outputPixels();
        final int k = c.taps;
        for (int b = 0; b < p.batches; b++) {
            widen(input, inputStart + b * c.inputHeight * c.inputWidth * c.inputChannels, scratch, image);
            for (int pix = 0; pix < pixels; pix += P) {
                int n = Math.min(P, pixels - pix);
                for (int g = 0; g < p.groups; g++) {
                    for (int t0 = 0; t0 < k; t0 += CHUNK) {
                        c.pixels(scratch, image, pix, n, g, weights[g], groupPadded, zeros, 0, t0, Math.min(k, t0 + CHUNK), tiles);
                        accumulate(scratch, tiles, accs, n, g, t0 == 0);
                    }
                }
                for (int j = 0; j < n; j++) {
                    requant.apply(scratch, accs + j * ocp, scratch, tmp, output, outputStart + (b * pixels + pix + j) * outC);
                }
            }
        }
    }

    /** Adds (or, for the first chunk, stores) the tiles' exact float sums as ints into group g's accumulators. */
    private void accumulate(int[] s, int tiles, int accs, int n, int g, boolean first) {
        final int gp = groupPadded;
        final int ocp = requant.paddedChannels;
        if (p.groups == 1) {
            FmaTiles.addAsInts(s, tiles, accs, n * gp, !first);
            return;
        }
        // Grouped: the group's channels sit at g * groupOutputs, not vector-aligned.
        for (int j = 0; j < n; j++) {
            int from = tiles + j * gp;
            int to = accs + j * ocp + g * groupOutputs;
            for (int oc = 0; oc < groupOutputs; oc++) {
                int v = (int) Float.intBitsToFloat(s[from + oc]);
                s[to + oc] = first ? v : s[to + oc] + v;
            }
        }
    }

    /** Copies one batch into the padded image as float bits of {@code x + inputOffset}. */
    private void widen(byte[] input, int src, int[] s, int image) {
        final FmaConv c = conv;
        final int offset = p.inputOffset;
        final int row = c.inputWidth * c.inputChannels;
        c.clearBorder(s, image);
        for (int y = 0; y < c.inputHeight; y++) {
            int d = c.rowStart(image, y);
            int from = src + y * row;
            for (int i = 0; i < row; i++) {
                s[d + i] = Float.floatToRawIntBits(input[from + i] + offset);
            }
        }
    }
}
