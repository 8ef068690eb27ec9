package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;
import dev.edgeq.runtime.quant.QuantizedMultiplier;

/**
 * int8 HardSwish exactly as TFLite's kernel ({@code reference_ops::HardSwish} with the parameters of
 * {@code activations.cc HardSwishPrepare}): 16-bit fixed point throughout. Per element:
 * <pre>
 *   hires     = (x - inputZeroPoint) * 2^7                      (the input on scale inputScale / 128)
 *   preshift  = srdhm16(hires, outputMultiplier)                (on the output scale, not yet shifted)
 *   reluish   = hires rescaled so that real 3.0 is 32768, saturating: a left shift by reluishShift - 1,
 *               srdhm16 by reluishMultiplier, the last left shift by 1; or a rounding right shift
 *   reluish   = (reluish + 2^15) >> 1                           (relu6(x + 3) / 6 in Q15, [0, 1])
 *   out       = clamp(roundingDivideByPOT(sdhm16(reluish, preshift), -outputShift) + outputZeroPoint)
 * </pre>
 * srdhm16 is gemmlowp's int16 SaturatingRoundingDoublingHighMul, sdhm16 the same without the rounding
 * nudge (TFLite's choice: it cancels the bias of the first). The multipliers are TFLite's: Q31 from
 * {@link QuantizedMultiplier#quantizeMultiplier} of {@code (inputScale / 128) / outputScale} and
 * {@code (inputScale / 128) / (3 / 32768)} in float, rounded to Q15 by {@link #toQ15}.
 */
public final class HardSwishParams implements ElementFunction {
    public final int inputZeroPoint;
    public final int outputZeroPoint;
    public final short outputMultiplier;
    /** In [-15, 0] (TFLite requires the output multiplier below one). */
    public final int outputShift;
    public final short reluishMultiplier;
    /** In [-15, 15]. */
    public final int reluishShift;

    public HardSwishParams(int inputZeroPoint, int outputZeroPoint, short outputMultiplier, int outputShift,
                           short reluishMultiplier, int reluishShift) {
        Checks.inRange("inputZeroPoint", inputZeroPoint, -128, 127);
        Checks.inRange("outputZeroPoint", outputZeroPoint, -128, 127);
        Checks.inRange("hard swish outputShift", outputShift, -15, 0);
        Checks.inRange("hard swish reluishShift", reluishShift, -15, 15);
        this.inputZeroPoint = inputZeroPoint;
        this.outputZeroPoint = outputZeroPoint;
        this.outputMultiplier = outputMultiplier;
        this.outputShift = outputShift;
        this.reluishMultiplier = reluishMultiplier;
        this.reluishShift = reluishShift;
    }

    /** TFLite's HardSwishPrepare (float arithmetic on the float scales, as there). */
    public static HardSwishParams fromScales(float inputScale, int inputZeroPoint, float outputScale, int outputZeroPoint) {
        Checks.scales("hard swish (input, output)", inputScale, outputScale);
        float hiresInputScale = (1.0f / 128.0f) * inputScale;
        float reluishScale = 3.0f / 32768.0f;
        QuantizedMultiplier output = QuantizedMultiplier.quantizeMultiplier(hiresInputScale / outputScale);
        QuantizedMultiplier reluish = QuantizedMultiplier.quantizeMultiplier(hiresInputScale / reluishScale);
        if (output.shift() > 0) {
            throw new IllegalArgumentException("hard swish: output scale " + outputScale + " is below input scale / 128 ("
                    + hiresInputScale + "), which TFLite's kernel does not support");
        }
        return new HardSwishParams(inputZeroPoint, outputZeroPoint, toQ15(output.multiplier()), output.shift(),
                toQ15(reluish.multiplier()), reluish.shift());
    }

    /** TFLite's DownScaleInt32ToInt16Multiplier: Q31 to Q15 rounding half up, saturating at 32767. */
    static short toQ15(int q31) {
        if (q31 < 0) {
            throw new IllegalArgumentException("hard swish multiplier " + q31 + " is negative");
        }
        if (q31 >= Integer.MAX_VALUE - (1 << 15)) {
            return Short.MAX_VALUE;
        }
        return (short) ((q31 + (1 << 15)) >> 16);
    }

    @Override
    public int apply(int x) {
        int hires = (x - inputZeroPoint) * (1 << 7); // |x - zp| <= 255, so within int16
        int preshift = roundingDoublingHighMul(hires, outputMultiplier);
        int reluish = hires;
        if (reluishShift > 0) {
            // All but the last bit of left shift before the multiply: saturation here is overwritten below.
            reluish = saturatingLeftShift(reluish, reluishShift - 1);
        }
        reluish = roundingDoublingHighMul(reluish, reluishMultiplier);
        if (reluishShift > 0) {
            reluish = saturatingLeftShift(reluish, 1);
        } else if (reluishShift < 0) {
            reluish = QuantizedMultiplier.roundingDivideByPowerOfTwo(reluish, -reluishShift);
        }
        reluish = (reluish + (1 << 15)) >> 1;
        int out = QuantizedMultiplier.roundingDivideByPowerOfTwo(doublingHighMul(reluish, preshift), -outputShift);
        out = (short) (out + outputZeroPoint); // TFLite adds the zero point in int16
        return Math.max(-128, Math.min(127, out));
    }

    /** gemmlowp's int16 SaturatingRoundingDoublingHighMul. */
    static int roundingDoublingHighMul(int a, int b) {
        if (a == Short.MIN_VALUE && b == Short.MIN_VALUE) {
            return Short.MAX_VALUE;
        }
        int ab = a * b;
        int nudge = ab >= 0 ? 1 << 14 : 1 - (1 << 14);
        return (short) ((ab + nudge) / (1 << 15));
    }

    /** TFLite's SaturatingDoublingHighMul (int16, truncating: no nudge). */
    static int doublingHighMul(int a, int b) {
        if (a == Short.MIN_VALUE && b == Short.MIN_VALUE) {
            return Short.MAX_VALUE;
        }
        return (short) ((a * b) / (1 << 15));
    }

    static int saturatingLeftShift(int value, int amount) {
        long r = (long) value << amount;
        return (int) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
    }

    @Override
    public String toString() {
        return "HardSwishParams{inputZeroPoint=" + inputZeroPoint + ", outputZeroPoint=" + outputZeroPoint
                + ", output=" + outputMultiplier + "/" + outputShift + ", reluish=" + reluishMultiplier + "/" + reluishShift + "}";
    }
}
