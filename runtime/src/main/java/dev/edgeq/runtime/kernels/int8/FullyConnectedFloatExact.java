package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;

/**
 * Vector API int8 fully connected layer in float arithmetic, bit-exact with
 * {@link FullyConnectedReference}: the shared {@link FmaTiles} micro-kernel over one "pixel" (the
 * input row), weights repacked to {@code [inputDepth][paddedOutputs]} (outputs in lanes, filter
 * offset added), as bytes widened in the lanes where every offset weight fits a byte (symmetric int8
 * weights always do; the classifier heads of the torchvision networks are memory-bound on float
 * weights), else as floats.
 *
 * <p>Why float is exact: an offset input lies in [-255, 255] and an offset weight in [-255, 255]
 * (at most 128 for symmetric weights); the row is cut into chunks whose products add at most 2^22 in
 * every output ({@link FmaTiles#chunkBounds}, with the actual weights), so every partial sum started
 * at {@link FmaTiles#EXACT_BASE} is an exact float32 integer (the argument is there). The first chunk's
 * sums stay in the accumulators as float bits ({@link FmaTiles#biasForExactSums}), later chunks are
 * added as int32 (wrapping like the reference); {@link VectorRequant} adds the bias.
 *
 * <p>Scratch: {@code inputDepth + 3 * paddedOutputs} ints.
 */
final class FullyConnectedFloatExact implements Int8Kernel {
    private final FullyConnectedParams p;
    /** Offset weights {@code [tap][paddedOutputs]} as floats, or null where {@link #byteWeights} holds them. */
    private final float[] weights;
    /** The same as bytes (when every offset weight fits one, as symmetric int8 weights do): a quarter of the memory. */
    private final byte[] byteWeights;
    /** {@link FmaTiles#EXACT_BASE} per output: the tiles' start values. */
    private final float[] base;
    /** Where the row is cut into exact chunks. */
    private final int[] chunks;
    /** Tap i reads input element i. */
    private final int[] taps;
    private final VectorRequant requant;

    private FullyConnectedFloatExact(FullyConnectedParams p, float[] weights, byte[] byteWeights, int[] chunks, VectorRequant requant) {
        this.p = p;
        this.weights = weights;
        this.byteWeights = byteWeights;
        this.base = new float[requant.paddedChannels];
        java.util.Arrays.fill(base, FmaTiles.EXACT_BASE);
        this.chunks = chunks;
        this.taps = new int[p.inputDepth];
        for (int i = 0; i < taps.length; i++) {
            taps[i] = i;
        }
        this.requant = requant;
    }

    static FullyConnectedFloatExact prepare(FullyConnectedParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        int depth = p.inputDepth;
        Checks.array("fully connected filter", filter, filterStart, (long) depth * p.outputDepth);
        boolean fitsBytes = FmaTiles.BYTE_WEIGHTS;
        for (int i = 0, n = depth * p.outputDepth; i < n && fitsBytes; i++) {
            int v = filter[filterStart + i] + p.filterOffset;
            fitsBytes = v == (byte) v;
        }
        float[] w = null;
        byte[] bw = null;
        if (fitsBytes) {
            int ocp = FmaTiles.padded(p.outputDepth);
            Checks.fitsInt("repacked filter", (long) depth * ocp + FmaTiles.BYTE_WEIGHTS_SLACK);
            bw = new byte[depth * ocp + FmaTiles.BYTE_WEIGHTS_SLACK];
            for (int oc = 0; oc < p.outputDepth; oc++) {
                for (int t = 0; t < depth; t++) {
                    bw[t * ocp + oc] = (byte) (filter[filterStart + oc * depth + t] + p.filterOffset);
                }
            }
        } else {
            w = FmaConv.repack(depth, p.outputDepth, 0, i -> filter[filterStart + i] + p.filterOffset);
        }
        VectorRequant rq = new VectorRequant(p.outputDepth, FmaTiles.biasForExactSums(Conv2DFast.copyBias(p.outputDepth, bias, biasStart)),
                p.multipliers, p.shifts, p.outputOffset, p.activationMin, p.activationMax);
        Checks.fitsInt("fully connected scratch", depth + 3L * rq.paddedChannels);
        int[] chunks = FmaTiles.chunkBounds(depth, p.outputDepth, (t, oc) -> filter[filterStart + oc * depth + t] + p.filterOffset,
                FmaTiles.maxOffsetInput(p.inputOffset), depth);
        return new FullyConnectedFloatExact(p, w, bw, chunks, rq);
    }

    @Override
    public int scratchInts() {
        return p.inputDepth + 3 * requant.paddedChannels;
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart,
                     float[] floatScratch, int floatScratchStart) {
        final int depth = p.inputDepth;
        final int ocp = requant.paddedChannels;
        final int xs = scratchStart;
        final int tiles = xs + depth;
        final int accs = tiles + ocp;
        final int tmp = accs + ocp;
        final int offset = p.inputOffset;
        for (int b = 0; b < p.batches; b++) {
            int src = inputStart + b * depth;
            VectorWiden.floatBits(input, src, scratch, xs, depth, offset);
            // The first chunk's float sums go straight into the accumulators (the bias makes up for their
            // EXACT_BASE_BITS, see FmaTiles.biasForExactSums); later chunks add theirs as ints.
            for (int chunk = 0; chunk + 1 < chunks.length; chunk++) {
                int dst = chunk == 0 ? accs : tiles;
                if (byteWeights != null) {
                    FmaTiles.pixel1Bytes(scratch, xs, chunks[chunk], chunks[chunk + 1], byteWeights, ocp, base, 0, scratch, dst);
                } else {
                    FmaTiles.pixel1(scratch, xs, taps, chunks[chunk], chunks[chunk + 1], weights, ocp, base, 0, scratch, dst);
                }
                if (chunk > 0) {
                    FmaTiles.addAsInts(scratch, tiles, accs, ocp);
                }
            }
            requant.apply(scratch, accs, scratch, tmp, output, outputStart + b * p.outputDepth);
        }
    }
}
