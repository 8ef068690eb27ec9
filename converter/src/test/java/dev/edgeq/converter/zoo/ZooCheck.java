package dev.edgeq.converter.zoo;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.ConvertOptions;
import dev.edgeq.converter.OnnxConverter;
import dev.edgeq.converter.inspect.ModelInspector;
import dev.edgeq.converter.onnx.OnnxModelReader;
import dev.edgeq.converter.quantize.QuantizeOptions;
import dev.edgeq.converter.quantize.Quantizer;
import dev.edgeq.converter.testing.EdgeqRunner;
import dev.edgeq.converter.testing.OrtRunner;
import dev.edgeq.format.InputSpec;
import dev.edgeq.format.ModelFile;
import dev.edgeq.onnx.ModelProto;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Converts one zoo family with edgeq, float and int8, and measures it: the float model against ONNX
 * Runtime on the test images (the same normalized input for both), the int8 model's logits against
 * PyTorch's float logits (raw pixels in, as on a device). A conversion that fails is a result too:
 * its message, and for unsupported nodes the op types named in it.
 */
public final class ZooCheck {
    private ZooCheck() {}

    public static ZooResult check(ZooFamily family, QuantizeOptions options) throws Exception {
        long start = cpuNanos();
        ModelFile floatModel;
        try {
            floatModel = OnnxConverter.convertFloat(family.onnx(), ConvertOptions.defaults());
        } catch (ConversionException e) {
            return ZooResult.floatFailed(family, e.getMessage(), seconds(start));
        }
        double floatSeconds = seconds(start);
        long macs = ModelInspector.describe(floatModel, family.name(), "eqm").totalMacs();

        start = cpuNanos();
        ModelProto onnx = OnnxModelReader.parse(Files.readAllBytes(family.onnx()), family.onnx().toString());
        RawImages test = family.test();
        float[][] pytorch = family.floatLogits();
        float[][] edgeqFloat = new float[test.size()][];
        float[][] ortFloat = new float[test.size()][];
        double worst = 0;
        for (int i = 0; i < test.size(); i++) {
            float[] x = normalizedNchw(test, i, floatModel.getMetadata().getInputSpec());
            int s = family.size();
            ortFloat[i] = OrtRunner.run(onnx, "input", x, new long[] {1, 3, s, s});
            edgeqFloat[i] = EdgeqRunner.run(floatModel, x, new int[] {1, 3, s, s});
            worst = Math.max(worst, maxRelativeDiff(edgeqFloat[i], ortFloat[i]));
        }
        double floatCheckSeconds = seconds(start);

        start = cpuNanos();
        ModelFile int8;
        try {
            int8 = Quantizer.quantize(floatModel, family.calibration(), options).model();
        } catch (ConversionException e) {
            return new ZooResult(family, null, e.getMessage(), Set.of(), macs, worst, sqnrDb(pytorch, edgeqFloat),
                    sqnrDb(pytorch, ortFloat), Double.NaN, floatSeconds, floatCheckSeconds, seconds(start));
        }
        double int8Seconds = seconds(start);
        float[][] edgeqInt8 = new float[test.size()][family.classes()];
        try (Interpreter q = Interpreter.create(Model.fromProto(int8))) {
            byte[] pixels = new byte[family.size() * family.size() * 3];
            for (int i = 0; i < test.size(); i++) {
                test.pixels(i, pixels, 0);
                q.setInputPixels(pixels, 0);
                q.run();
                q.outputFloat(edgeqInt8[i]);
            }
        }
        return new ZooResult(family, null, null, Set.of(), macs, worst, sqnrDb(pytorch, edgeqFloat),
                sqnrDb(pytorch, ortFloat), sqnrDb(pytorch, edgeqInt8), floatSeconds, floatCheckSeconds, int8Seconds);
    }

    /** Image {@code index} as the model's normalized NCHW input: (pixel * pixelScale - mean) / std. */
    static float[] normalizedNchw(RawImages images, int index, InputSpec spec) {
        int h = images.height(), w = images.width(), c = images.channels();
        byte[] px = new byte[h * w * c];
        images.pixels(index, px, 0);
        float[] x = new float[px.length];
        for (int ch = 0; ch < c; ch++) {
            float mean = spec.getMean(Math.min(ch, spec.getMeanCount() - 1));
            float std = spec.getStd(Math.min(ch, spec.getStdCount() - 1));
            for (int p = 0; p < h * w; p++) {
                x[ch * h * w + p] = ((px[p * c + ch] & 0xFF) * spec.getPixelScale() - mean) / std;
            }
        }
        return x;
    }

    /** max |a - b| / max |b|: the largest error relative to the reference's largest magnitude. */
    static double maxRelativeDiff(float[] actual, float[] reference) {
        if (actual.length != reference.length) {
            return Double.POSITIVE_INFINITY;
        }
        double error = 0;
        double scale = 0;
        for (int i = 0; i < actual.length; i++) {
            error = Math.max(error, Math.abs((double) actual[i] - reference[i]));
            scale = Math.max(scale, Math.abs(reference[i]));
        }
        return Double.isNaN(error) ? Double.POSITIVE_INFINITY : error / scale;
    }

    /** 10 log10(sum reference^2 / sum (reference - actual)^2) over all images and logits, as zoo.py's. */
    static double sqnrDb(float[][] reference, float[][] actual) {
        double signal = 0;
        double noise = 0;
        for (int i = 0; i < reference.length; i++) {
            for (int k = 0; k < reference[i].length; k++) {
                double d = (double) reference[i][k] - actual[i][k];
                signal += (double) reference[i][k] * reference[i][k];
                noise += d * d;
            }
        }
        return noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
    }

    /** The op types of the nodes a conversion error lists as unsupported ("  OpType 'name' reason" lines). */
    public static Set<String> unsupportedOps(String message) {
        Set<String> ops = new LinkedHashSet<>();
        for (String line : message.split("\n")) {
            if (line.startsWith("  ") && line.trim().indexOf(' ') > 0) {
                ops.add(line.trim().substring(0, line.trim().indexOf(' ')));
            }
        }
        return ops;
    }

    private static double seconds(long start) {
        return (cpuNanos() - start) / 1e9;
    }

    /** CPU time of this thread (conversion is single-threaded): wall time means little on a shared machine. */
    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
