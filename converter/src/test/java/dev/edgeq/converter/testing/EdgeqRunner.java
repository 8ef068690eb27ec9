package dev.edgeq.converter.testing;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.ConvertOptions;
import dev.edgeq.converter.OnnxConverter;
import dev.edgeq.format.ModelFile;
import dev.edgeq.onnx.ModelProto;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;

/**
 * Converts an ONNX model with edgeq and runs it in the edgeq float runtime, translating
 * layouts at the boundary: the NCHW input is transposed to NHWC, a 4-D NHWC output back to
 * NCHW, so results compare directly with ONNX's.
 */
public final class EdgeqRunner {
    private EdgeqRunner() {
    }

    public static ModelFile convert(ModelProto model) throws ConversionException {
        return OnnxConverter.convertFloat(model, "test-model", ConvertOptions.defaults());
    }

    /** input: NCHW (or [1,N]) values in ONNX order; returns the first output in ONNX order. */
    public static float[] run(ModelFile file, float[] input, int[] onnxInputShape) throws ModelFormatException {
        Model model = Model.fromProto(file);
        try (Interpreter interpreter = Interpreter.create(model)) {
            interpreter.setInput(onnxInputShape.length == 4 ? nchwToNhwc(input, onnxInputShape) : input);
            interpreter.run();
            float[] out = new float[interpreter.outputSize()];
            interpreter.outputFloat(out);
            TensorInfo o = model.output();
            if (o.rank() == 4) {
                return nhwcToNchw(out, o.dim(1), o.dim(2), o.dim(3));
            }
            return out;
        }
    }

    public static float[] nchwToNhwc(float[] x, int[] s) {
        int c = s[1], h = s[2], w = s[3];
        float[] r = new float[x.length];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    r[(y * w + xx) * c + ch] = x[(ch * h + y) * w + xx];
                }
            }
        }
        return r;
    }

    public static float[] nhwcToNchw(float[] x, int h, int w, int c) {
        float[] r = new float[x.length];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    r[(ch * h + y) * w + xx] = x[(y * w + xx) * c + ch];
                }
            }
        }
        return r;
    }

    /** Largest |a-b| / max(1, |b|) (b = reference); lengths must match. */
    public static double maxScaledDiff(float[] actual, float[] reference) {
        if (actual.length != reference.length) {
            return Double.POSITIVE_INFINITY;
        }
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs((double) actual[i] - reference[i]) / Math.max(1.0, Math.abs(reference[i]));
            if (Double.isNaN(d)) {
                return Double.POSITIVE_INFINITY;
            }
            worst = Math.max(worst, d);
        }
        return worst;
    }
}
