package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;
import dev.edgeq.runtime.quant.QuantizedMultiplier;

/**
 * int8 PRelu with one slope per channel (channels innermost), as TFLite's int8 Prelu
 * ({@code prelu.cc} Prepare, {@code reference_ops::BroadcastPrelu4DSlow}): the slope is an int8
 * tensor with one scale and zero point. Per element of channel c:
 * <pre>
 *   v   = x - inputZeroPoint
 *   out = clamp(outputZeroPoint + (v >= 0 ? multiplyByQuantizedMultiplier(v, positive)
 *                                         : multiplyByQuantizedMultiplier(v * (slope[c] - slopeZeroPoint), negative)))
 * </pre>
 * with {@code positive = inputScale / outputScale} and {@code negative = inputScale * slopeScale /
 * outputScale} (double arithmetic on the float scales).
 */
public final class PReluParams {
    public final int inputZeroPoint;
    public final int outputZeroPoint;
    public final int positiveMultiplier;
    public final int positiveShift;
    public final int negativeMultiplier;
    public final int negativeShift;
    final int[] slopeMinusZeroPoint;

    private PReluParams(int inputZeroPoint, int outputZeroPoint, QuantizedMultiplier positive, QuantizedMultiplier negative,
                        int[] slopeMinusZeroPoint) {
        this.inputZeroPoint = inputZeroPoint;
        this.outputZeroPoint = outputZeroPoint;
        this.positiveMultiplier = positive.multiplier();
        this.positiveShift = positive.shift();
        this.negativeMultiplier = negative.multiplier();
        this.negativeShift = negative.shift();
        this.slopeMinusZeroPoint = slopeMinusZeroPoint;
    }

    /**
     * @param slope int8 slope per channel (copied); its length is the channel count
     */
    public static PReluParams fromScales(float inputScale, int inputZeroPoint, byte[] slope, float slopeScale, int slopeZeroPoint,
                                         float outputScale, int outputZeroPoint) {
        Checks.scales("prelu (input, slope, output)", inputScale, slopeScale, outputScale);
        Checks.inRange("inputZeroPoint", inputZeroPoint, -128, 127);
        Checks.inRange("slopeZeroPoint", slopeZeroPoint, -128, 127);
        Checks.inRange("outputZeroPoint", outputZeroPoint, -128, 127);
        Checks.positive("prelu channels", slope.length);
        int[] s = new int[slope.length];
        for (int c = 0; c < s.length; c++) {
            s[c] = slope[c] - slopeZeroPoint;
        }
        QuantizedMultiplier positive = QuantizedMultiplier.quantizeMultiplier((double) inputScale / outputScale);
        QuantizedMultiplier negative = QuantizedMultiplier.quantizeMultiplier((double) inputScale * slopeScale / outputScale);
        return new PReluParams(inputZeroPoint, outputZeroPoint, positive, negative, s);
    }

    /**
     * A float slope quantized the way TFLite's Prelu reads it: int8, symmetric per tensor, scale
     * {@code max|slope| / 127} (1 for an all-zero slope). Used when the model stores the slope in float.
     */
    public static PReluParams fromFloatSlope(float inputScale, int inputZeroPoint, float[] slope, float outputScale,
                                             int outputZeroPoint) {
        float scale = slopeScale(slope);
        return fromScales(inputScale, inputZeroPoint, quantizeSlope(slope, scale), scale, 0, outputScale, outputZeroPoint);
    }

    /** The slope values {@link #fromFloatSlope} actually applies (for an exporter that must match the int8 run). */
    public static float[] effectiveFloatSlope(float[] slope) {
        float scale = slopeScale(slope);
        byte[] q = quantizeSlope(slope, scale);
        float[] r = new float[q.length];
        for (int c = 0; c < q.length; c++) {
            r[c] = q[c] * scale;
        }
        return r;
    }

    private static float slopeScale(float[] slope) {
        float max = 0f;
        for (float v : slope) {
            max = Math.max(max, Math.abs(v));
        }
        return max > 0f ? max / 127f : 1f;
    }

    private static byte[] quantizeSlope(float[] slope, float scale) {
        byte[] q = new byte[slope.length];
        for (int c = 0; c < q.length; c++) {
            q[c] = (byte) Math.max(-127, Math.min(127, QuantizedMultiplier.roundHalfAwayFromZero(slope[c] / scale)));
        }
        return q;
    }

    public int channels() {
        return slopeMinusZeroPoint.length;
    }

    /** The output for input {@code x} in channel {@code c}. */
    public int apply(int x, int c) {
        int v = x - inputZeroPoint;
        int out = v >= 0
                ? QuantizedMultiplier.multiplyByQuantizedMultiplier(v, positiveMultiplier, positiveShift)
                : QuantizedMultiplier.multiplyByQuantizedMultiplier(v * slopeMinusZeroPoint[c], negativeMultiplier, negativeShift);
        return Math.max(-128, Math.min(127, out + outputZeroPoint));
    }
}
