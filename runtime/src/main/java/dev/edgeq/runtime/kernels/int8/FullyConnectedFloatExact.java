package dev.edgeq.runtime.kernels.int8;

/**
 * Vector API int8 fully connected layer in float arithmetic, bit-exact with
 * {@link FullyConnectedReference}: the shared {@link FmaTiles} micro-kernel over one "pixel" (the
 * input row), weights repacked to {@code float[inputDepth][paddedOutputs]} (outputs in lanes, filter
 * offset added).
 *
 * <p>Why float is exact: an offset input lies in [-255, 255] and an offset weight in [-255, 255]
 * (at most 128 for symmetric weights), so with {@code maxWeight} the largest offset weight magnitude
 * every partial sum of {@code chunk = 2^24 / (255 * maxWeight)} products is an integer of at most
 * 2^24, exact in float32. Longer rows are cut into chunks added as int32 (wrapping like the reference);
 * {@link VectorRequant} adds the bias.
 *
 * <p>Scratch: {@code inputDepth + 3 * paddedOutputs} ints.
 */
final class FullyConnectedFloatExact implements Int8Kernel {
    private static final int[] ROW = {0};

    private final FullyConnectedParams p;
    private final float[] weights;
    private final float[] zeros;
    private final int chunk;
    private final VectorRequant requant;

    private FullyConnectedFloatExact(FullyConnectedParams p, float[] weights, int chunk, VectorRequant requant) {
        this.p = p;
        this.weights = weights;
        this.zeros = new float[requant.paddedChannels];
        this.chunk = chunk;
        this.requant = requant;
    }

    static FullyConnectedFloatExact prepare(FullyConnectedParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        int depth = p.inputDepth;
        Checks.array("fully connected filter", filter, filterStart, (long) depth * p.outputDepth);
        int maxWeight = 1;
        for (int i = 0, n = depth * p.outputDepth; i < n; i++) {
            maxWeight = Math.max(maxWeight, Math.abs(filter[filterStart + i] + p.filterOffset));
        }
        float[] w = FmaConv.repack(depth, p.outputDepth, 0, i -> filter[filterStart + i] + p.filterOffset);
        VectorRequant rq = new VectorRequant(p.outputDepth, Conv2DFast.copyBias(p.outputDepth, bias, biasStart),
                p.multipliers, p.shifts, p.outputOffset, p.activationMin, p.activationMax);
        Checks.fitsInt("fully connected scratch", depth + 3L * rq.paddedChannels);
        return new FullyConnectedFloatExact(p, w, (1 << 24) / (255 * maxWeight), rq);
    }

    @Override
    public int scratchInts() {
        return p.inputDepth + 3 * requant.paddedChannels;
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart) {
        final int depth = p.inputDepth;
        final int ocp = requant.paddedChannels;
        final int xs = scratchStart;
        final int tiles = xs + depth;
        final int accs = tiles + ocp;
        final int tmp = accs + ocp;
        final int offset = p.inputOffset;
        for (int b = 0; b < p.batches; b++) {
            int src = inputStart + b * depth;
            for (int i = 0; i < depth; i++) {
                scratch[xs + i] = Float.floatToRawIntBits(input[src + i] + offset);
            }
            for (int t0 = 0; t0 < depth; t0 += chunk) {
                FmaTiles.pixel1(scratch, xs, ROW, depth, t0, Math.min(depth, t0 + chunk), weights, ocp, zeros, 0, scratch, tiles);
                FmaTiles.addAsInts(scratch, tiles, accs, ocp, t0 > 0);
            }
            requant.apply(scratch, accs, scratch, tmp, output, outputStart + b * p.outputDepth);
        }
    }
}
