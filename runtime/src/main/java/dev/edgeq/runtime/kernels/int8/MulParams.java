package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;
import dev.edgeq.runtime.quant.QuantizedMultiplier;

/**
 * int8 Mul of two activations, as TFLite's int8 Mul ({@code mul.cc}, {@code reference_integer_ops::Mul}):
 * <pre>
 *   out = clamp(outputZeroPoint + multiplyByQuantizedMultiplier((x1 - zp1) * (x2 - zp2), multiplier, shift),
 *               activationMin, activationMax)
 * </pre>
 * with {@code multiplier/shift = quantizeMultiplier(scale1 * scale2 / outputScale)} (double arithmetic
 * on the float scales). The product of two offsets fits easily in int32 (|product| <= 65536).
 */
public final class MulParams implements ElementPairFunction {
    public final int input1ZeroPoint;
    public final int input2ZeroPoint;
    public final int outputZeroPoint;
    public final int multiplier;
    public final int shift;
    public final int activationMin;
    public final int activationMax;

    public MulParams(int input1ZeroPoint, int input2ZeroPoint, int outputZeroPoint, int multiplier, int shift,
                     int activationMin, int activationMax) {
        Checks.inRange("input1ZeroPoint", input1ZeroPoint, -128, 127);
        Checks.inRange("input2ZeroPoint", input2ZeroPoint, -128, 127);
        Checks.inRange("outputZeroPoint", outputZeroPoint, -128, 127);
        Checks.inRange("shift", shift, -31, 31);
        Checks.activation(activationMin, activationMax);
        this.input1ZeroPoint = input1ZeroPoint;
        this.input2ZeroPoint = input2ZeroPoint;
        this.outputZeroPoint = outputZeroPoint;
        this.multiplier = multiplier;
        this.shift = shift;
        this.activationMin = activationMin;
        this.activationMax = activationMax;
    }

    public static MulParams fromScales(float input1Scale, int input1ZeroPoint, float input2Scale, int input2ZeroPoint,
                                       float outputScale, int outputZeroPoint, int activationMin, int activationMax) {
        Checks.scales("mul (input1, input2, output)", input1Scale, input2Scale, outputScale);
        QuantizedMultiplier m = QuantizedMultiplier.quantizeMultiplier((double) input1Scale * input2Scale / outputScale);
        return new MulParams(input1ZeroPoint, input2ZeroPoint, outputZeroPoint, m.multiplier(), m.shift(),
                activationMin, activationMax);
    }

    @Override
    public int apply(int x1, int x2) {
        int product = (x1 - input1ZeroPoint) * (x2 - input2ZeroPoint);
        int out = outputZeroPoint + QuantizedMultiplier.multiplyByQuantizedMultiplier(product, multiplier, shift);
        return Math.max(activationMin, Math.min(activationMax, out));
    }

    @Override
    public String toString() {
        return "MulParams{zeroPoints=" + input1ZeroPoint + "," + input2ZeroPoint + "," + outputZeroPoint
                + ", multiplier=" + multiplier + "/" + shift + ", activation=[" + activationMin + "," + activationMax + "]}";
    }
}
