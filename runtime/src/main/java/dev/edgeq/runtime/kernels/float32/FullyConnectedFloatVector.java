package dev.edgeq.runtime.kernels.float32;

import dev.edgeq.runtime.kernels.int8.FmaConv;
import dev.edgeq.runtime.kernels.int8.FmaTiles;

/**
 * Vector API float fully connected layer on the {@link FloatTiles} micro-kernel (one "pixel":
 * the input row, read in place): weights repacked at prepare to {@code [inputs][paddedOutputs]}, each output the
 * bias plus its inputs in order by fused multiply-adds, then the clamp. Close to
 * {@link FullyConnectedFloat} within the bound stated in {@link FloatKernels}.
 *
 * <p>Scratch: {@code paddedOutputs} floats.
 */
public final class FullyConnectedFloatVector implements FloatKernel {
    private final int inputs;
    private final int outputs;
    private final int paddedOutputs;
    private final float[] weights;
    private final float[] bias;
    /** Tap i reads input element i. */
    private final int[] taps;
    private final float actMin;
    private final float actMax;

    private FullyConnectedFloatVector(int inputs, int outputs, float[] weights, float[] bias, float actMin, float actMax) {
        this.inputs = inputs;
        this.outputs = outputs;
        this.paddedOutputs = FmaTiles.padded(outputs);
        this.weights = weights;
        this.bias = bias;
        this.taps = new int[inputs];
        for (int i = 0; i < inputs; i++) {
            taps[i] = i;
        }
        this.actMin = actMin;
        this.actMax = actMax;
    }

    /** Outputs' weight rows {@code [outputs][inputs]} from {@code weightsStart}, bias from {@code biasStart} (or null). */
    public static FullyConnectedFloatVector prepare(int inputs, int outputs, float[] weights, int weightsStart, float[] bias,
                                                    int biasStart, float actMin, float actMax) {
        float[] w = FmaConv.repack(inputs, outputs, 0, i -> weights[weightsStart + i]);
        float[] b = new float[FmaTiles.padded(outputs)];
        if (bias != null) {
            System.arraycopy(bias, biasStart, b, 0, outputs);
        }
        return new FullyConnectedFloatVector(inputs, outputs, w, b, actMin, actMax);
    }

    @Override
    public int scratchFloats() {
        return paddedOutputs;
    }

    @Override
    public void eval(float[] input, int inputStart, float[] output, int outputStart, float[] scratch, int scratchStart) {
        FloatTiles.pixel1(input, inputStart, taps, 0, inputs, weights, paddedOutputs, bias, 0, scratch, scratchStart);
        FloatTiles.clamp(scratch, scratchStart, output, outputStart, outputs, actMin, actMax);
    }
}
