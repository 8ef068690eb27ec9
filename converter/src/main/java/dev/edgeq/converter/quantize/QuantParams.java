package dev.edgeq.converter.quantize;

import dev.edgeq.runtime.quant.QuantizedMultiplier;

/**
 * Per-tensor asymmetric int8 parameters: {@code real = scale * (q - zeroPoint)}, q in [-128, 127].
 *
 * @param scale positive step
 * @param zeroPoint the int8 value of real 0, in [-128, 127]
 */
public record QuantParams(float scale, int zeroPoint) {
    /** Smallest range a tensor gets (an all-zero tensor in calibration still needs a positive scale). */
    static final double MIN_RANGE = 1e-6;

    /**
     * TFLite's choice for a real range: widened to contain 0, {@code scale = (hi - lo) / 255},
     * {@code zeroPoint = round(-128 - lo / scale)} clamped to [-128, 127] (the "nudge" that makes 0
     * exactly representable).
     */
    public static QuantParams fromRange(double lo, double hi) {
        lo = Math.min(lo, 0.0);
        hi = Math.max(hi, 0.0);
        if (hi - lo < MIN_RANGE) {
            hi = lo + MIN_RANGE;
        }
        float scale = (float) ((hi - lo) / 255.0);
        long zp = QuantizedMultiplier.roundHalfAwayFromZero(-128.0 - lo / scale);
        return new QuantParams(scale, (int) Math.max(-128, Math.min(127, zp)));
    }

    /** The real value range these parameters represent. */
    public double realMin() {
        return scale * (-128.0 - zeroPoint);
    }

    public double realMax() {
        return scale * (127.0 - zeroPoint);
    }
}
