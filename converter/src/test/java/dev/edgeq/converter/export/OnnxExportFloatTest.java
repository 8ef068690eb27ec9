package dev.edgeq.converter.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.edgeq.converter.ConvertOptions;
import dev.edgeq.converter.OnnxConverter;
import dev.edgeq.converter.testing.RandomCnn;
import dev.edgeq.format.ModelFile;
import dev.edgeq.onnx.ModelProto;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The exporter's layout handling (NHWC -> NCHW at the boundaries, OHWI / 1HWO weights -> OIHW,
 * the flatten order before a dense layer, per-channel constants) checked on float models, where
 * ONNX Runtime and edgeq must agree to float rounding: random CNNs of every supported op are
 * converted to .eqm, exported back to ONNX, and both run on the same input.
 */
class OnnxExportFloatTest {
    private static final int MODELS = 120;

    @Test
    void exportedFloatModelsMatchEdgeqInOnnxRuntime() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<String> failures = new ArrayList<>();
        double worst = 0;
        for (long seed = 1; seed <= MODELS; seed++) {
            RandomCnn cnn = RandomCnn.of(seed);
            ModelFile file = OnnxConverter.convertFloat(cnn.model, "random-" + seed, ConvertOptions.defaults());
            Model model = Model.fromProto(file);
            ModelProto onnx = OnnxExporter.export(model);
            int n = model.input().elementCount();
            float[] input = new float[n];
            Random rng = new Random(seed * 31);
            for (int i = 0; i < n; i++) {
                input[i] = (float) rng.nextGaussian();
            }
            float[] expected = new float[model.output().elementCount()];
            try (Interpreter it = Interpreter.create(model)) {
                it.setInput(input);
                it.run();
                it.outputFloat(expected);
            }
            long[] shape = new long[model.input().rank()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = model.input().dim(d);
            }
            float[] actual;
            try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
                opts.setIntraOpNumThreads(1);
                // ONNX Runtime's PadFusion folds a zero Pad into a following MaxPool, making pads
                // >= kernel, which its own MaxPool then refuses: check the export, not the optimizer
                opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
                try (OrtSession session = env.createSession(onnx.toByteArray(), opts);
                        OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                        OrtSession.Result r = session.run(Map.of("input", t))) {
                    FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                    actual = new float[fb.remaining()];
                    fb.get(actual);
                }
            } catch (Exception e) {
                failures.add(cnn.description + ": ONNX Runtime failed: " + e.getMessage());
                continue;
            }
            assertEquals(expected.length, actual.length, cnn.description);
            for (int i = 0; i < expected.length; i++) {
                double diff = Math.abs(expected[i] - actual[i]);
                double tol = 1e-4 * Math.max(1.0, Math.abs(expected[i]));
                worst = Math.max(worst, diff / Math.max(1.0, Math.abs(expected[i])));
                if (!(diff <= tol)) {
                    failures.add(cnn.description + ": output " + i + " edgeq " + expected[i] + " ONNX Runtime " + actual[i]);
                    break;
                }
            }
        }
        System.out.printf("export float: %d random CNNs, %d mismatches, worst relative difference %.3g%n",
                MODELS, failures.size(), worst);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
