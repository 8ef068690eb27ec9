package dev.edgeq.converter;

import static dev.edgeq.converter.testing.OnnxBuilder.i;
import static dev.edgeq.converter.testing.OnnxBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.edgeq.converter.testing.EdgeqRunner;
import dev.edgeq.converter.testing.OnnxBuilder;
import dev.edgeq.converter.testing.OrtRunner;
import dev.edgeq.converter.testing.RandomCnn;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.onnx.ModelProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * edgeq (import + passes + float runtime) against ONNX Runtime on random CNNs built from fixed
 * seeds: max |edgeq - ort| <= 1e-4 * max(1, |ort|) on every output value.
 */
class DifferentialOrtTest {
    static final int MODELS = 250;
    static final double TOLERANCE = 1e-4;
    static final List<String> FEATURES = List.of(" conv ", "dwconv", "group 3", " d2", "SAME_UPPER", "SAME_LOWER", "maxpool",
            "avgpool", " ceil", "count_include_pad", "batchnorm", "-> relu", "clip 0..6", "clip -", "leakyrelu", "sigmoid",
            "lrn", "pad ", "residual", "gemm", "transB", "matmul", "flatten", "reshape", "softmax", "global pool",
            "mul per channel", "add per channel");

    @Test
    void randomCnnsMatchOnnxRuntime() throws Exception {
        List<String> failures = new ArrayList<>();
        java.util.Map<String, Integer> coverage = new java.util.TreeMap<>();
        int run = 0;
        double worst = 0;
        for (long seed = 0; seed < MODELS; seed++) {
            RandomCnn r = RandomCnn.of(seed);
            for (String feature : FEATURES) {
                if (r.description.contains(feature)) {
                    coverage.merge(feature.strip(), 1, Integer::sum);
                }
            }
            int[] s = r.inputShape;
            float[] in = OnnxBuilder.randomData(new Random(1000 + seed), s[1] * s[2] * s[3]);
            float[] ref = OrtRunner.run(r.model, "input", in, new long[] {1, s[1], s[2], s[3]});
            float[] got;
            try {
                got = EdgeqRunner.run(EdgeqRunner.convert(r.model), in, s);
            } catch (Exception e) {
                failures.add(r.description + "\n    " + e);
                continue;
            }
            run++;
            double d = EdgeqRunner.maxScaledDiff(got, ref);
            worst = Math.max(worst, d);
            if (!(d <= TOLERANCE)) {
                failures.add(r.description + "\n    max scaled diff " + d + " (" + got.length + " vs " + ref.length
                        + " values)");
            }
        }
        System.out.printf("differential vs ONNX Runtime: %d random CNNs, %d ran, %d failed, worst scaled diff %.3g%n",
                MODELS, run, failures.size(), worst);
        System.out.println("models per feature: " + coverage);
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + MODELS + " models differ:\n" + String.join("\n", failures));
        }
        assertTrue(run >= 200);
    }

    /** Conv -> Flatten -> Gemm with C, H, W > 1: the dense weights must be permuted CHW -> HWC. */
    @Test
    void flattenOrderBeforeDenseIsPreserved() throws Exception {
        for (boolean viaReshape : new boolean[] {false, true}) {
            OnnxBuilder b = new OnnxBuilder();
            Random rng = new Random(7);
            String x = b.input("input", 1, 2, 6, 5);
            String y = b.node("Conv", new String[] {x, b.random("w", rng, 0.5f, 3, 2, 3, 3), b.random("b", rng, 0.5f, 3)},
                    ints("kernel_shape", 3, 3));
            y = viaReshape ? b.node("Reshape", new String[] {y, b.initLongs("shape", new long[] {1, -1}, 2)})
                    : b.node("Flatten", y);
            y = b.node("Gemm", new String[] {y, b.random("fw", rng, 0.5f, 7, 3 * 4 * 3), b.random("fb", rng, 0.5f, 7)},
                    i("transB", 1));
            b.output(y);
            ModelProto m = b.build();
            float[] in = OnnxBuilder.randomData(rng, 2 * 6 * 5);
            float[] ref = OrtRunner.run(m, "input", in, new long[] {1, 2, 6, 5});
            ModelFile f = EdgeqRunner.convert(m);
            assertEquals(OpType.RESHAPE, f.getOperators(1).getType());
            float[] got = EdgeqRunner.run(f, in, new int[] {1, 2, 6, 5});
            assertTrue(EdgeqRunner.maxScaledDiff(got, ref) <= TOLERANCE,
                    "flatten order: edgeq " + java.util.Arrays.toString(got) + " vs ORT " + java.util.Arrays.toString(ref));
            // the .eqm dense weights are the ONNX ones with columns moved from CHW to HWC order
            float[] onnxW = dev.edgeq.converter.onnx.OnnxConstant.decode(m.getGraph().getInitializerList().stream()
                    .filter(t -> t.getName().equals("fw")).findFirst().orElseThrow(), "fw").toFloats();
            java.nio.FloatBuffer eqmW = f.getTensors(f.getOperators(2).getInputs(1)).getData().asReadOnlyByteBuffer()
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            int c = 3, h = 4, w = 3, k = c * h * w;
            boolean differs = false;
            for (int o = 0; o < 7; o++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int s = 0; s < h * w; s++) {
                        assertEquals(onnxW[o * k + ch * h * w + s], eqmW.get(o * k + s * c + ch));
                        differs |= onnxW[o * k + s * c + ch] != eqmW.get(o * k + s * c + ch);
                    }
                }
            }
            assertTrue(differs, "with C, H, W > 1 the permutation must change the weights");
        }
    }
}
