package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.quant.QuantizedMultiplier;

/**
 * Reference int8 fully connected layer: TFLite's {@code reference_integer_ops::FullyConnected} as
 * plain loops (the oracle; never optimize it). See {@link FullyConnectedParams}.
 */
public final class FullyConnectedReference {
    private FullyConnectedReference() {
    }

    /**
     * @param filter {@code [outputDepth][inputDepth]} int8 from {@code filterStart}
     * @param bias int32 per output from {@code biasStart}, or null
     */
    public static void eval(FullyConnectedParams p, byte[] input, int inputStart, byte[] filter, int filterStart,
                            int[] bias, int biasStart, byte[] output, int outputStart) {
        for (int b = 0; b < p.batches; b++) {
            for (int o = 0; o < p.outputDepth; o++) {
                int acc = 0;
                for (int i = 0; i < p.inputDepth; i++) {
                    int x = input[inputStart + b * p.inputDepth + i];
                    int w = filter[filterStart + o * p.inputDepth + i];
                    acc += (w + p.filterOffset) * (x + p.inputOffset);
                }
                if (bias != null) {
                    acc += bias[biasStart + o];
                }
                acc = QuantizedMultiplier.multiplyByQuantizedMultiplier(acc, p.multiplier(o), p.shift(o));
                acc += p.outputOffset;
                acc = Math.max(acc, p.activationMin);
                acc = Math.min(acc, p.activationMax);
                output[outputStart + b * p.outputDepth + o] = (byte) acc;
            }
        }
    }
}
