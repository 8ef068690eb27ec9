package dev.edgeq.runtime.kernels.int8;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API int8 fully connected layer, bit-exact with {@link FullyConnectedReference}. Prepare
 * widens the filter to {@code int[outputDepth][paddedDepth]} (filter offset added, zero-padded to
 * whole vectors); eval widens each input row once (input offset added, padded with zeros) and
 * computes four dot products at a time sharing each input vector load, reducing lanes at the end.
 *
 * <p>Scratch: {@code paddedDepth} ints.
 */
final class FullyConnectedVector implements Int8Kernel {
    private static final VectorSpecies<Integer> S = VectorKernelFactory.INTS;
    private static final int L = S.length();

    private final FullyConnectedParams p;
    private final int paddedDepth;
    private final int[] weights;
    private final int[] bias;

    private FullyConnectedVector(FullyConnectedParams p, int paddedDepth, int[] weights, int[] bias) {
        this.p = p;
        this.paddedDepth = paddedDepth;
        this.weights = weights;
        this.bias = bias;
    }

    static FullyConnectedVector prepare(FullyConnectedParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        int depth = p.inputDepth;
        Checks.array("fully connected filter", filter, filterStart, (long) depth * p.outputDepth);
        int dp = (depth + L - 1) / L * L;
        Checks.fitsInt("padded filter size", (long) dp * p.outputDepth);
        int[] w = new int[dp * p.outputDepth];
        for (int o = 0; o < p.outputDepth; o++) {
            for (int i = 0; i < depth; i++) {
                w[o * dp + i] = filter[filterStart + o * depth + i] + p.filterOffset;
            }
        }
        return new FullyConnectedVector(p, dp, w, Conv2DFast.copyBias(p.outputDepth, bias, biasStart));
    }

    @Override
    public int scratchInts() {
        return paddedDepth;
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart) {
        final FullyConnectedParams p = this.p;
        final int depth = p.inputDepth;
        final int dp = paddedDepth;
        final int xs = scratchStart;
        final int[] w = weights;
        for (int b = 0; b < p.batches; b++) {
            int src = inputStart + b * depth;
            VectorWiden.widen(input, src, scratch, xs, depth, p.inputOffset);
            for (int i = depth; i < dp; i++) {
                scratch[xs + i] = 0;
            }
            int out = outputStart + b * p.outputDepth;
            int o = 0;
            for (; o + 4 <= p.outputDepth; o += 4) {
                IntVector a0 = IntVector.zero(S), a1 = IntVector.zero(S), a2 = IntVector.zero(S), a3 = IntVector.zero(S);
                int w0 = o * dp, w1 = w0 + dp, w2 = w1 + dp, w3 = w2 + dp;
                for (int i = 0; i < dp; i += L) {
                    IntVector x = IntVector.fromArray(S, scratch, xs + i);
                    a0 = a0.add(x.mul(IntVector.fromArray(S, w, w0 + i)));
                    a1 = a1.add(x.mul(IntVector.fromArray(S, w, w1 + i)));
                    a2 = a2.add(x.mul(IntVector.fromArray(S, w, w2 + i)));
                    a3 = a3.add(x.mul(IntVector.fromArray(S, w, w3 + i)));
                }
                store(output, out, o, a0.reduceLanes(VectorOperators.ADD));
                store(output, out, o + 1, a1.reduceLanes(VectorOperators.ADD));
                store(output, out, o + 2, a2.reduceLanes(VectorOperators.ADD));
                store(output, out, o + 3, a3.reduceLanes(VectorOperators.ADD));
            }
            for (; o < p.outputDepth; o++) {
                IntVector a = IntVector.zero(S);
                for (int i = 0; i < dp; i += L) {
                    a = a.add(IntVector.fromArray(S, scratch, xs + i).mul(IntVector.fromArray(S, w, o * dp + i)));
                }
                store(output, out, o, a.reduceLanes(VectorOperators.ADD));
            }
        }
    }

    private void store(byte[] output, int out, int o, int acc) {
        output[out + o] = Requant.toInt8(acc + bias[o], p.multipliers[o], p.shifts[o], p.outputOffset,
                p.activationMin, p.activationMax);
    }
}
