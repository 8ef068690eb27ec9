package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;
import dev.edgeq.runtime.quant.QuantizedMultiplier;

/**
 * int8 to int8 requantization to another scale and zero point (TFLite's int8 Quantize/Requantize):
 * {@code out = clamp(multiplyByQuantizedMultiplier(x - inputZeroPoint, multiplier, shift) +
 * outputZeroPoint, -128, 127)} with {@code multiplier/shift = quantizeMultiplier(inputScale /
 * outputScale)}. Elementwise and already a single pass, so there is one kernel, used as both the
 * reference and the fast path.
 */
public final class Requantize {
    public final int inputZeroPoint;
    public final int outputZeroPoint;
    public final int multiplier;
    public final int shift;

    public Requantize(int inputZeroPoint, int outputZeroPoint, int multiplier, int shift) {
        Checks.inRange("inputZeroPoint", inputZeroPoint, -128, 127);
        Checks.inRange("outputZeroPoint", outputZeroPoint, -128, 127);
        Checks.inRange("shift", shift, -31, 31);
        this.inputZeroPoint = inputZeroPoint;
        this.outputZeroPoint = outputZeroPoint;
        this.multiplier = multiplier;
        this.shift = shift;
    }

    /** Prepare from real scales (double division of the float scales, as TFLite). */
    public static Requantize fromScales(float inputScale, int inputZeroPoint, float outputScale, int outputZeroPoint) {
        if (!(inputScale > 0f) || !(outputScale > 0f)) {
            throw new IllegalArgumentException("requantize: scales must be positive, got " + inputScale + " and " + outputScale);
        }
        QuantizedMultiplier m = QuantizedMultiplier.quantizeMultiplier((double) inputScale / outputScale);
        return new Requantize(inputZeroPoint, outputZeroPoint, m.multiplier(), m.shift());
    }

    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int length) {
        for (int i = 0; i < length; i++) {
            output[outputStart + i] = (byte) apply(input[inputStart + i]);
        }
    }

    /** The requantized value of {@code x}. */
    public int apply(int x) {
        return Requant.toInt8(x - inputZeroPoint, multiplier, shift, outputZeroPoint, -128, 127);
    }

    /** True when this maps every value to itself (same scale and zero point): a copy. */
    public boolean isIdentity() {
        return inputZeroPoint == outputZeroPoint && multiplier == 1 << 30 && shift == 1;
    }
}
