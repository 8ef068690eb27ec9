package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;

/**
 * Fast scalar int8 fully connected layer, bit-exact with {@link FullyConnectedReference}.
 *
 * <p>Prepare widens the filter to {@code int[outputDepth][inputDepth]} with the filter offset
 * already added. Eval widens each batch row of the input once (input offset added) into scratch,
 * then computes one int[] dot product per output (a reduction C2 vectorizes).
 *
 * <p>Scratch: {@code inputDepth} ints.
 */
public final class FullyConnectedFast implements Int8Kernel {
    private final FullyConnectedParams p;
    private final int[] weights;
    private final int[] bias;

    private FullyConnectedFast(FullyConnectedParams p, int[] weights, int[] bias) {
        this.p = p;
        this.weights = weights;
        this.bias = bias;
    }

    /**
     * @param filter {@code [outputDepth][inputDepth]} int8 from {@code filterStart} (copied)
     * @param bias int32 per output (copied), or null
     */
    public static FullyConnectedFast prepare(FullyConnectedParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        int n = p.outputDepth * p.inputDepth;
        Checks.array("fully connected filter", filter, filterStart, n);
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = filter[filterStart + i] + p.filterOffset;
        }
        return new FullyConnectedFast(p, w, Conv2DFast.copyBias(p.outputDepth, bias, biasStart));
    }

    /** Scratch ints needed by {@link #eval} for these parameters. */
    public static int scratchSize(FullyConnectedParams p) {
        return p.inputDepth;
    }

    @Override
    public int scratchInts() {
        return p.inputDepth;
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart,
                     float[] floatScratch, int floatScratchStart) {
        final FullyConnectedParams p = this.p;
        final int depth = p.inputDepth;
        final int offset = p.inputOffset;
        for (int b = 0; b < p.batches; b++) {
            int src = inputStart + b * depth;
            for (int i = 0; i < depth; i++) {
                scratch[scratchStart + i] = input[src + i] + offset;
            }
            int out = outputStart + b * p.outputDepth;
            for (int o = 0; o < p.outputDepth; o++) {
                int acc = Conv2DFast.dot(scratch, scratchStart, weights, o * depth, depth) + bias[o];
                output[out + o] = Requant.toInt8(acc, p.multipliers[o], p.shifts[o], p.outputOffset,
                        p.activationMin, p.activationMax);
            }
        }
    }
}
