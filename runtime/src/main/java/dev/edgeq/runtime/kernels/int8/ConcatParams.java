package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;
import java.util.Arrays;

/**
 * int8 concatenation along channels (NHWC last axis, batch 1) of any number of inputs with the same
 * pixels. TFLite's quantization spec gives every input the output's scale and zero point, so the
 * converter makes them equal wherever it can and inputs are copied; an input with its own
 * quantization (two branches calibrated apart) is requantized with {@link Requantize} (one rounding
 * rule, no float at eval).
 */
public final class ConcatParams {
    public final int pixels;
    public final int outputChannels;
    final int[] channels;
    /** Per input: null when its quantization is the output's (a copy). */
    final Requantize[] requantize;

    private ConcatParams(int pixels, int[] channels, Requantize[] requantize) {
        Checks.positive("pixels", pixels);
        if (channels.length == 0 || channels.length != requantize.length) {
            throw new IllegalArgumentException("concatenation needs at least one input and one requantization entry per input, got "
                    + channels.length + " inputs and " + requantize.length + " entries");
        }
        long total = 0;
        for (int k = 0; k < channels.length; k++) {
            Checks.positive("channels of input " + k, channels[k]);
            total += channels[k];
        }
        Checks.fitsInt("concatenation output size", total * pixels);
        this.pixels = pixels;
        this.channels = channels.clone();
        this.outputChannels = (int) total;
        this.requantize = requantize.clone();
    }

    /** Inputs quantized with {@code scales[k], zeroPoints[k]}; output with {@code outputScale, outputZeroPoint}. */
    public static ConcatParams fromScales(int pixels, int[] channels, float[] scales, int[] zeroPoints, float outputScale,
                                          int outputZeroPoint) {
        if (scales.length != channels.length || zeroPoints.length != channels.length) {
            throw new IllegalArgumentException("concatenation: " + channels.length + " inputs but " + scales.length + " scales and "
                    + zeroPoints.length + " zero points");
        }
        Requantize[] r = new Requantize[channels.length];
        for (int k = 0; k < channels.length; k++) {
            Requantize q = Requantize.fromScales(scales[k], zeroPoints[k], outputScale, outputZeroPoint);
            r[k] = q.isIdentity() ? null : q;
        }
        return new ConcatParams(pixels, channels, r);
    }

    public int inputCount() {
        return channels.length;
    }

    public int channels(int input) {
        return channels[input];
    }

    /** True when input {@code k} is copied unchanged. */
    public boolean copies(int input) {
        return requantize[input] == null;
    }

    public int outputSize() {
        return pixels * outputChannels;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ConcatParams{pixels=").append(pixels).append(", channels=")
                .append(Arrays.toString(channels)).append(", requantize=[");
        for (Requantize q : requantize) {
            s.append(q == null ? "copy" : q.multiplier + "/" + q.shift + " zp " + q.inputZeroPoint + "->" + q.outputZeroPoint)
                    .append(' ');
        }
        return s.append("]}").toString();
    }
}
