package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;
import dev.edgeq.runtime.quant.QuantizedMultiplier;

/**
 * int8 Mean over height and width of an NHWC tensor (batch 1): {@code [H,W,C]} to {@code [C]},
 * global average pooling with TFLite's Mean arithmetic ({@code reference_integer_ops::Mean}, the
 * multiplier of {@code reduce.cc}'s prepare). Per channel, with {@code n = H * W}:
 * <pre>
 *   acc = multiplyByQuantizedMultiplier(sum(x - inputZeroPoint), multiplier, shift)
 *   out = clamp((acc > 0 ? acc + n / 2 : acc - n / 2) / n + outputZeroPoint, -128, 127)   (division truncating)
 * </pre>
 * with {@code multiplier/shift = quantizeMultiplier(inputScale / outputScale)} (double arithmetic on
 * the float scales). The rounding differs from {@link AveragePool2DReference}'s: the rescale comes
 * before the division.
 */
public final class MeanParams {
    public final int height;
    public final int width;
    public final int channels;
    public final int inputZeroPoint;
    public final int outputZeroPoint;
    public final int multiplier;
    public final int shift;

    public MeanParams(int height, int width, int channels, int inputZeroPoint, int outputZeroPoint, int multiplier, int shift) {
        Checks.positive("height", height);
        Checks.positive("width", width);
        Checks.positive("channels", channels);
        Checks.inRange("inputZeroPoint", inputZeroPoint, -128, 127);
        Checks.inRange("outputZeroPoint", outputZeroPoint, -128, 127);
        Checks.inRange("shift", shift, -31, 31);
        Checks.fitsInt("mean input size", (long) height * width * channels);
        long largestSum = 255L * height * width;
        if (largestSum << Math.max(shift, 0) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("mean over " + height + "x" + width + " with a left shift of " + shift
                    + " can overflow int32 (output scale too small for the input scale)");
        }
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.inputZeroPoint = inputZeroPoint;
        this.outputZeroPoint = outputZeroPoint;
        this.multiplier = multiplier;
        this.shift = shift;
    }

    public static MeanParams fromScales(int height, int width, int channels, float inputScale, int inputZeroPoint,
                                        float outputScale, int outputZeroPoint) {
        Checks.scales("mean (input, output)", inputScale, outputScale);
        QuantizedMultiplier m = QuantizedMultiplier.quantizeMultiplier((double) inputScale / outputScale);
        return new MeanParams(height, width, channels, inputZeroPoint, outputZeroPoint, m.multiplier(), m.shift());
    }

    public int inputSize() {
        return height * width * channels;
    }

    /** The output of a channel whose inputs minus the zero point sum to {@code sum}. */
    int finish(int sum) {
        int n = height * width;
        int acc = QuantizedMultiplier.multiplyByQuantizedMultiplier(sum, multiplier, shift);
        acc = acc > 0 ? (acc + n / 2) / n : (acc - n / 2) / n;
        return Math.max(-128, Math.min(127, acc + outputZeroPoint));
    }

    @Override
    public String toString() {
        return "MeanParams{" + height + "x" + width + "x" + channels + ", zeroPoints=" + inputZeroPoint + "," + outputZeroPoint
                + ", multiplier=" + multiplier + "/" + shift + "}";
    }
}
