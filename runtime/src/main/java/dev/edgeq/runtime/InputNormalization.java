package dev.edgeq.runtime;

import dev.edgeq.format.InputSpec;

/**
 * A model's input normalization, {@code real = (pixel * pixelScale - mean[c]) / std[c]} for raw 0..255
 * pixels, read once from its {@link InputSpec} with the defaults written down here (pixel scale 1/255,
 * mean 0, std 1; one mean or std value applies to every channel). The Interpreter's pixel table, the
 * converter's int8 input range and the benchmarks' ONNX Runtime input all come from this class, so they
 * cannot drift apart.
 */
public final class InputNormalization {
    private final int channels;
    /** Double, because the converter's input range has always used 1.0 / 255.0 in double. */
    private final double pixelScale;
    private final float[] mean;
    private final float[] std;

    private InputNormalization(int channels, double pixelScale, float[] mean, float[] std) {
        this.channels = channels;
        this.pixelScale = pixelScale;
        this.mean = mean;
        this.std = std;
    }

    /** The normalization of {@code model}'s input (channels innermost). */
    public static InputNormalization of(Model model) {
        InputSpec spec = model.metadata().getInputSpec();
        int channels = model.input().lastDim();
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = spec.getMeanCount() == 0 ? 0f : spec.getMean(Math.min(c, spec.getMeanCount() - 1));
            std[c] = spec.getStdCount() == 0 ? 1f : spec.getStd(Math.min(c, spec.getStdCount() - 1));
        }
        return new InputNormalization(channels, spec.getPixelScale() > 0 ? spec.getPixelScale() : 1.0 / 255.0, mean, std);
    }

    public int channels() { return channels; }
    public float pixelScale() { return (float) pixelScale; }
    public float mean(int channel) { return mean[channel]; }
    public float std(int channel) { return std[channel]; }

    /** The normalized value of every pixel value per channel, at {@code channel * 256 + pixel}. */
    public float[] table() {
        float[] table = new float[channels * 256];
        float scale = pixelScale();
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < 256; p++) {
                table[c * 256 + p] = (p * scale - mean[c]) / std[c];
            }
        }
        return table;
    }

    /** The smallest normalized value any channel can take (pixel 0, or 255 for a negative std). */
    public double lowest() {
        double lo = Double.POSITIVE_INFINITY;
        for (int c = 0; c < channels; c++) {
            lo = Math.min(lo, Math.min(normalized(c, 0), normalized(c, 255)));
        }
        return lo;
    }

    /** The largest normalized value any channel can take. */
    public double highest() {
        double hi = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < channels; c++) {
            hi = Math.max(hi, Math.max(normalized(c, 0), normalized(c, 255)));
        }
        return hi;
    }

    /** In double, as the converter has always computed the input range. */
    private double normalized(int channel, int pixel) {
        return (pixel * pixelScale - (double) mean[channel]) / std[channel];
    }
}
