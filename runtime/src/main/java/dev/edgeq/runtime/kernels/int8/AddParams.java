package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;
import dev.edgeq.runtime.quant.QuantizedMultiplier;

/**
 * Prepare-time parameters of the int8 elementwise Add of two same-shape tensors with their own
 * scales and zero points (TFLite's int8 Add). Arithmetic per element:
 * <pre>
 *   a = (x1 + input1Offset) * 2^leftShift,  b = (x2 + input2Offset) * 2^leftShift
 *   a' = multiplyByQuantizedMultiplier(a, input1Multiplier, input1Shift)   (same for b')
 *   out = clamp(multiplyByQuantizedMultiplier(a' + b', outputMultiplier, outputShift) + outputOffset,
 *               activationMin, activationMax)
 * </pre>
 * {@link #fromScales} derives the multipliers exactly as TFLite's {@code PrepareGeneralSubOp /
 * Add Prepare} does (left shift 20, inputs rescaled to twice the larger input scale).
 * Sub is the same arithmetic with input 2's multiplier negated ({@link #subFromScales}, as TFLite's
 * {@code PrepareGeneralSubOp}).
 * Legal ranges: offsets in [-128, 128] as minus the zero points (input) / the zero point (output);
 * input and output shifts &lt;= 0 (the multipliers are smaller than one); {@code leftShift} in [0, 22].
 */
public final class AddParams implements ElementPairFunction {
    /** TFLite's choice: 20 bits of headroom for 8-bit inputs keeps the sums exact in int32. */
    public static final int LEFT_SHIFT = 20;

    public final int input1Offset;
    public final int input2Offset;
    public final int leftShift;
    public final int input1Multiplier;
    public final int input1Shift;
    public final int input2Multiplier;
    public final int input2Shift;
    public final int outputMultiplier;
    public final int outputShift;
    public final int outputOffset;
    public final int activationMin;
    public final int activationMax;

    /** Direct constructor for already-computed fixed-point parameters (validated). */
    public AddParams(int input1Offset, int input2Offset, int leftShift, int input1Multiplier, int input1Shift,
                     int input2Multiplier, int input2Shift, int outputMultiplier, int outputShift, int outputOffset,
                     int activationMin, int activationMax) {
        Checks.inRange("input1Offset", input1Offset, -127, 128);
        Checks.inRange("input2Offset", input2Offset, -127, 128);
        Checks.inRange("leftShift", leftShift, 0, 22);
        Checks.inRange("input1Shift", input1Shift, -31, 0);
        Checks.inRange("input2Shift", input2Shift, -31, 0);
        Checks.inRange("outputShift", outputShift, -31, 31);
        Checks.inRange("outputOffset", outputOffset, -128, 127);
        Checks.activation(activationMin, activationMax);
        this.input1Offset = input1Offset;
        this.input2Offset = input2Offset;
        this.leftShift = leftShift;
        this.input1Multiplier = input1Multiplier;
        this.input1Shift = input1Shift;
        this.input2Multiplier = input2Multiplier;
        this.input2Shift = input2Shift;
        this.outputMultiplier = outputMultiplier;
        this.outputShift = outputShift;
        this.outputOffset = outputOffset;
        this.activationMin = activationMin;
        this.activationMax = activationMax;
    }

    /**
     * TFLite's prepare: {@code twiceMax = 2 * max(s1, s2)}, input multipliers {@code s_i / twiceMax},
     * output multiplier {@code twiceMax / (2^20 * outputScale)} (double arithmetic on float scales).
     */
    public static AddParams fromScales(float input1Scale, int input1ZeroPoint, float input2Scale, int input2ZeroPoint,
                                       float outputScale, int outputZeroPoint, int activationMin, int activationMax) {
        return prepare(false, input1Scale, input1ZeroPoint, input2Scale, input2ZeroPoint, outputScale, outputZeroPoint,
                activationMin, activationMax);
    }

    /** int8 Sub {@code x1 - x2}: {@link #fromScales} with input 2's multiplier negated (TFLite's PrepareGeneralSubOp). */
    public static AddParams subFromScales(float input1Scale, int input1ZeroPoint, float input2Scale, int input2ZeroPoint,
                                          float outputScale, int outputZeroPoint, int activationMin, int activationMax) {
        return prepare(true, input1Scale, input1ZeroPoint, input2Scale, input2ZeroPoint, outputScale, outputZeroPoint,
                activationMin, activationMax);
    }

    private static AddParams prepare(boolean subtract, float input1Scale, int input1ZeroPoint, float input2Scale,
                                     int input2ZeroPoint, float outputScale, int outputZeroPoint, int activationMin,
                                     int activationMax) {
        Checks.scales(subtract ? "sub (input1, input2, output)" : "add (input1, input2, output)", input1Scale, input2Scale,
                outputScale);
        double twiceMaxInputScale = 2.0 * Math.max(input1Scale, input2Scale);
        double realInput1 = input1Scale / twiceMaxInputScale;
        double realInput2 = input2Scale / twiceMaxInputScale;
        double realOutput = twiceMaxInputScale / ((1 << LEFT_SHIFT) * outputScale);
        QuantizedMultiplier m1 = QuantizedMultiplier.quantizeMultiplier(realInput1);
        QuantizedMultiplier m2 = QuantizedMultiplier.quantizeMultiplier(realInput2);
        QuantizedMultiplier mo = QuantizedMultiplier.quantizeMultiplier(realOutput);
        return new AddParams(-input1ZeroPoint, -input2ZeroPoint, LEFT_SHIFT, m1.multiplier(), m1.shift(),
                subtract ? -m2.multiplier() : m2.multiplier(), m2.shift(), mo.multiplier(), mo.shift(), outputZeroPoint,
                activationMin, activationMax);
    }

    /** The output for inputs {@code x1}, {@code x2}: the arithmetic of the class comment. */
    @Override
    public int apply(int x1, int x2) {
        int a = (x1 + input1Offset) * (1 << leftShift);
        int b = (x2 + input2Offset) * (1 << leftShift);
        int scaledA = QuantizedMultiplier.multiplyByQuantizedMultiplier(a, input1Multiplier, input1Shift);
        int scaledB = QuantizedMultiplier.multiplyByQuantizedMultiplier(b, input2Multiplier, input2Shift);
        int raw = QuantizedMultiplier.multiplyByQuantizedMultiplier(scaledA + scaledB, outputMultiplier, outputShift)
                + outputOffset;
        return Math.min(Math.max(raw, activationMin), activationMax);
    }

    @Override
    public String toString() {
        return "AddParams{input1Offset=" + input1Offset + ", input2Offset=" + input2Offset + ", leftShift=" + leftShift
                + ", input1=" + input1Multiplier + "/" + input1Shift + ", input2=" + input2Multiplier + "/" + input2Shift
                + ", output=" + outputMultiplier + "/" + outputShift + ", outputOffset=" + outputOffset
                + ", activation=[" + activationMin + "," + activationMax + "]}";
    }
}
