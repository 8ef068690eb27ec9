package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;
import java.util.Arrays;

/**
 * Prepare-time parameters of an int8 fully connected (dense) layer, immutable and validated.
 *
 * <ul>
 *   <li>Input: {@code [batches][inputDepth]} int8 (any NHWC tensor flattened per batch).</li>
 *   <li>Filter: {@code [outputDepth][inputDepth]} int8; bias optional int32 {@code [outputDepth]}.</li>
 *   <li>Output: {@code [batches][outputDepth]} int8.</li>
 *   <li>Arithmetic: {@code acc = bias[o] + sum((w + filterOffset) * (x + inputOffset))} in int32,
 *       then {@code clamp(multiplyByQuantizedMultiplier(acc, multiplier[o], shift[o]) +
 *       outputOffset, activationMin, activationMax)}.</li>
 * </ul>
 * Legal ranges: sizes >= 1; {@code inputOffset} and {@code filterOffset} (minus the zero points) in
 * [-127, 128] (the filter offset is 0 for symmetric weights); {@code outputOffset} in [-128, 127];
 * {@code -128 <= activationMin <= activationMax <= 127}; shifts in [-31, 31].
 */
public final class FullyConnectedParams {
    public final int batches;
    public final int inputDepth;
    public final int outputDepth;
    public final int inputOffset;
    public final int filterOffset;
    public final int outputOffset;
    public final int activationMin;
    public final int activationMax;
    final int[] multipliers;
    final int[] shifts;

    private FullyConnectedParams(int batches, int inputDepth, int outputDepth, int inputOffset, int filterOffset,
                                 int outputOffset, int activationMin, int activationMax, int[] multipliers, int[] shifts) {
        this.batches = batches;
        this.inputDepth = inputDepth;
        this.outputDepth = outputDepth;
        this.inputOffset = inputOffset;
        this.filterOffset = filterOffset;
        this.outputOffset = outputOffset;
        this.activationMin = activationMin;
        this.activationMax = activationMax;
        this.multipliers = multipliers;
        this.shifts = shifts;
    }

    /** Per-output-channel requantization (arrays copied). */
    public static FullyConnectedParams perChannel(int batches, int inputDepth, int outputDepth, int inputOffset,
                                                  int filterOffset, int outputOffset, int activationMin, int activationMax,
                                                  int[] multipliers, int[] shifts) {
        Checks.positive("batches", batches);
        Checks.positive("inputDepth", inputDepth);
        Checks.positive("outputDepth", outputDepth);
        Checks.inRange("inputOffset", inputOffset, -127, 128);
        Checks.inRange("filterOffset", filterOffset, -127, 128);
        Checks.inRange("outputOffset", outputOffset, -128, 127);
        Checks.activation(activationMin, activationMax);
        Checks.requantization(multipliers, shifts, outputDepth);
        Checks.fitsInt("input size", (long) batches * inputDepth);
        Checks.fitsInt("output size", (long) batches * outputDepth);
        Checks.fitsInt("filter size", (long) outputDepth * inputDepth);
        return new FullyConnectedParams(batches, inputDepth, outputDepth, inputOffset, filterOffset, outputOffset,
                activationMin, activationMax, multipliers.clone(), shifts.clone());
    }

    /** Per-tensor requantization: one multiplier and shift for every output. */
    public static FullyConnectedParams perTensor(int batches, int inputDepth, int outputDepth, int inputOffset,
                                                 int filterOffset, int outputOffset, int activationMin, int activationMax,
                                                 int multiplier, int shift) {
        Checks.positive("outputDepth", outputDepth);
        int[] m = new int[outputDepth];
        int[] s = new int[outputDepth];
        Arrays.fill(m, multiplier);
        Arrays.fill(s, shift);
        return perChannel(batches, inputDepth, outputDepth, inputOffset, filterOffset, outputOffset,
                activationMin, activationMax, m, s);
    }

    public int multiplier(int o) {
        return multipliers[o];
    }

    public int shift(int o) {
        return shifts[o];
    }

    public long macs() {
        return (long) batches * inputDepth * outputDepth;
    }

    @Override
    public String toString() {
        return "FullyConnectedParams{batches=" + batches + ", inputDepth=" + inputDepth + ", outputDepth=" + outputDepth
                + ", inputOffset=" + inputOffset + ", filterOffset=" + filterOffset + ", outputOffset=" + outputOffset
                + ", activation=[" + activationMin + "," + activationMax + "], multipliers=" + Arrays.toString(multipliers)
                + ", shifts=" + Arrays.toString(shifts) + "}";
    }
}
