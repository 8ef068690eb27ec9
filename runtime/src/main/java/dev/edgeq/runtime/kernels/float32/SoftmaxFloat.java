package dev.edgeq.runtime.kernels.float32;

/**
 * Softmax over the last axis: out = exp(beta * (x - max)) / sum. Uses {@link StrictMath#exp} and a
 * fixed summation order so probabilities are bit-identical across JVMs and CPUs.
 */
public final class SoftmaxFloat {
    private SoftmaxFloat() {}

    public static void softmax(int rows, int depth, float beta, float[] input, int inOff, float[] output, int outOff) {
        for (int r = 0; r < rows; r++) {
            int in = inOff + r * depth;
            int out = outOff + r * depth;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < depth; i++) {
                max = Math.max(max, input[in + i]);
            }
            double sum = 0;
            for (int i = 0; i < depth; i++) {
                double e = StrictMath.exp(beta * ((double) input[in + i] - max));
                output[out + i] = (float) e;
                sum += e;
            }
            for (int i = 0; i < depth; i++) {
                output[out + i] = (float) (output[out + i] / sum);
            }
        }
    }
}
