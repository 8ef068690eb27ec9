package dev.edgeq.runtime.kernels.float32;

/**
 * Float reference fully connected layer: out[o] = clamp(bias[o] + sum_i w[o][i] * x[i]).
 * Weights [outputs][inputs], row-major; x is read flat (NHWC order).
 */
public final class FullyConnectedFloat {
    private FullyConnectedFloat() {}

    public static void fullyConnected(int inputs, int outputs, float[] input, int inOff, float[] weights,
                                      float[] bias, float actMin, float actMax, float[] output, int outOff) {
        for (int o = 0; o < outputs; o++) {
            float acc = bias == null ? 0f : bias[o];
            int w = o * inputs;
            for (int i = 0; i < inputs; i++) {
                acc += input[inOff + i] * weights[w + i];
            }
            output[outOff + o] = Math.min(Math.max(acc, actMin), actMax);
        }
    }
}
