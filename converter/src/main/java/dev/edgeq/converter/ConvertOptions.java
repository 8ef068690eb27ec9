package dev.edgeq.converter;

import dev.edgeq.format.ColorMode;
import java.nio.file.Path;
import java.util.List;

/**
 * Settings for a conversion. Every field is optional: null means "from the NAME.json beside the
 * ONNX file, else the default" (labels: none; mean 0, std 1; color from the channel count).
 * Built with withers: {@code ConvertOptions.defaults().withLabels(...)}.
 */
public record ConvertOptions(String modelName, List<String> labels, float[] mean, float[] std,
        ColorMode color, Float pixelScale, Path sidecarJson, boolean readSidecar) {

    public static ConvertOptions defaults() {
        return new ConvertOptions(null, null, null, null, null, null, null, true);
    }

    public ConvertOptions withModelName(String v) {
        return new ConvertOptions(v, labels, mean, std, color, pixelScale, sidecarJson, readSidecar);
    }

    public ConvertOptions withLabels(List<String> v) {
        return new ConvertOptions(modelName, v, mean, std, color, pixelScale, sidecarJson, readSidecar);
    }

    public ConvertOptions withMean(float[] v) {
        return new ConvertOptions(modelName, labels, v, std, color, pixelScale, sidecarJson, readSidecar);
    }

    public ConvertOptions withStd(float[] v) {
        return new ConvertOptions(modelName, labels, mean, v, color, pixelScale, sidecarJson, readSidecar);
    }

    public ConvertOptions withColor(ColorMode v) {
        return new ConvertOptions(modelName, labels, mean, std, v, pixelScale, sidecarJson, readSidecar);
    }

    public ConvertOptions withPixelScale(Float v) {
        return new ConvertOptions(modelName, labels, mean, std, color, v, sidecarJson, readSidecar);
    }

    /** Reads this JSON instead of NAME.json beside the ONNX file. */
    public ConvertOptions withSidecarJson(Path v) {
        return new ConvertOptions(modelName, labels, mean, std, color, pixelScale, v, readSidecar);
    }

    /** false: ignore any NAME.json beside the ONNX file. */
    public ConvertOptions withReadSidecar(boolean v) {
        return new ConvertOptions(modelName, labels, mean, std, color, pixelScale, sidecarJson, v);
    }
}
