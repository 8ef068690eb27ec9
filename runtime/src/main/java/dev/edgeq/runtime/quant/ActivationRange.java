package dev.edgeq.runtime.quant;

/**
 * The int8 output clamp {@code [min, max]} of a layer with a fused activation, computed at prepare
 * time as TFLite's {@code CalculateActivationRangeQuantized}: each real bound {@code f} is quantized
 * as {@code zeroPoint + round(f / scale)} (float32 division, rounding half away from zero) and
 * intersected with [-128, 127].
 *
 * @param min smallest output value, in [-128, 127]
 * @param max largest output value, in [min, 127]
 */
public record ActivationRange(int min, int max) {

    /** The full int8 range (no activation). */
    public static final ActivationRange NONE = new ActivationRange(-128, 127);

    public ActivationRange {
        if (min < -128 || max > 127 || min > max) {
            throw new IllegalArgumentException("activation range [" + min + ", " + max + "] is not a non-empty sub-range of [-128, 127]");
        }
    }

    /** No activation: [-128, 127]. */
    public static ActivationRange none() {
        return NONE;
    }

    /** ReLU: [max(-128, q(0)), 127]. */
    public static ActivationRange relu(float scale, int zeroPoint) {
        return clamp(quantize(0f, scale, zeroPoint), 127);
    }

    /** ReLU6: [max(-128, q(0)), min(127, q(6))]. */
    public static ActivationRange relu6(float scale, int zeroPoint) {
        return clamp(quantize(0f, scale, zeroPoint), quantize(6f, scale, zeroPoint));
    }

    /** Clip(lo, hi) (ReLU-N1-to-1 is clip(-1, 1)): [max(-128, q(lo)), min(127, q(hi))]. */
    public static ActivationRange clip(float lo, float hi, float scale, int zeroPoint) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clip bounds lo " + lo + " > hi " + hi);
        }
        long qLo = Float.isInfinite(lo) ? -128 : quantize(lo, scale, zeroPoint);
        long qHi = Float.isInfinite(hi) ? 127 : quantize(hi, scale, zeroPoint);
        return clamp(qLo, qHi);
    }

    private static long quantize(float f, float scale, int zeroPoint) {
        if (!(scale > 0f) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("output scale must be positive and finite, got " + scale);
        }
        if (zeroPoint < -128 || zeroPoint > 127) {
            throw new IllegalArgumentException("int8 zero point " + zeroPoint + " outside [-128, 127]");
        }
        float ratio = f / scale; // float32, as TFLite
        return zeroPoint + QuantizedMultiplier.roundHalfAwayFromZero(ratio);
    }

    private static ActivationRange clamp(long lo, long hi) {
        int min = (int) Math.max(-128, Math.min(127, lo));
        int max = (int) Math.max(-128, Math.min(127, hi));
        if (min > max) {
            throw new IllegalArgumentException("activation range is empty after quantization: [" + lo + ", " + hi + "]");
        }
        return new ActivationRange(min, max);
    }
}
