package dev.edgeq.converter.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.edgeq.converter.ConvertOptions;
import dev.edgeq.converter.OnnxConverter;
import dev.edgeq.converter.dataset.DatasetSpec;
import dev.edgeq.converter.dataset.LabeledImages;
import dev.edgeq.converter.quantize.QuantizationResult;
import dev.edgeq.converter.quantize.QuantizeOptions;
import dev.edgeq.converter.quantize.Quantizer;
import dev.edgeq.format.InputSpec;
import dev.edgeq.format.DataType;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.Operator;
import dev.edgeq.onnx.ModelProto;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.ops.QuantizeOp;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The int8 export cross-checked in ONNX Runtime on the full Fashion-MNIST test set (Debian package
 * dataset-fashion-mnist): each bundled model (models/fashion-*.onnx with its JSON) is converted,
 * quantized (calibration on the first 1000 training images), exported as QDQ ONNX, and run by
 * both runtimes on identical int8 inputs. ONNX Runtime requantizes in float (round half to even),
 * edgeq in fixed point (TFLite's rule), so rare 1-LSB differences are expected.
 *
 * <p>Two bars. End to end, on all 10000 images: top-1 agreement >= 99.5%. Per layer, on the
 * first {@value #LAYER_IMAGES} images: every int8 operator is exported alone (a one-operator model
 * with the same tensors, quantization and options) and ONNX Runtime is fed exactly the int8 input
 * edgeq computed for that operator; >= 99% of its int8 output values must be within 1 LSB of
 * edgeq's. The 1-LSB bar is held per layer, not end to end, because end to end it
 * measures how 1-LSB rounding differences compound through the layers, not whether the kernels
 * agree: fashion-mobilenet-tiny (9 quantized convolutions) reached only 91.8% of its logits within
 * 1 LSB end to end (max 5 LSB) while each of its layers, given identical inputs, is 100% within
 * 1 LSB (98.6% to 99.9% identical). The end-to-end LSB statistics are still printed.
 *
 * <p>Exception: an ADD of two activations (the residual joins of fashion-resnet-tiny) is skipped
 * per layer with a printed note, since an edgeq model has exactly one graph input; it is covered
 * only by the end-to-end check (fashion-resnet-tiny: 99.67% of logits within 1 LSB end to end).
 *
 * <p>Models: every models/fashion-*.onnx in the repository, or the files listed in the system
 * property {@code edgeq.export.models} (comma-separated). Finding none fails the test.
 * {@code -Dedgeq.export.ortOpt=NO_OPT} runs ONNX Runtime without graph optimizations (no QLinear
 * fusion: float Conv between DequantizeLinear and QuantizeLinear, i.e. exact real arithmetic then one
 * rounding per layer), to tell ONNX Runtime's int8 kernels apart from edgeq's fixed-point arithmetic
 * when the 1-LSB share drops.
 */
class OnnxExportInt8Test {
    static final double MIN_TOP1_AGREEMENT = 0.995;
    static final double MIN_WITHIN_ONE_LSB = 0.99;
    /** Test images per per-layer check (the first ones of the test set). */
    static final int LAYER_IMAGES = 200;
    static final OrtSession.SessionOptions.OptLevel OPT_LEVEL =
            OrtSession.SessionOptions.OptLevel.valueOf(System.getProperty("edgeq.export.ortOpt", "ALL_OPT"));

    @TestFactory
    Stream<DynamicTest> exportedInt8ModelsAgreeWithEdgeqInOnnxRuntime() throws IOException {
        List<Path> models = models();
        assertFalse(models.isEmpty(), "no models to export: expected models/fashion-*.onnx in the repository "
                + "(the bundled models) or -Dedgeq.export.models=A.onnx,B.onnx");
        return models.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
    }

    static List<Path> models() throws IOException {
        String listed = System.getProperty("edgeq.export.models", "");
        if (!listed.isBlank()) {
            return Stream.of(listed.split(",")).map(String::trim).map(Path::of).collect(Collectors.toList());
        }
        Path dir = Path.of("..", "models");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("fashion-.*\\.onnx")).sorted().collect(Collectors.toList());
        }
    }

    /** Float ONNX -> int8 .eqm through the converter's public API (calibration on 1000 training images). */
    static Model quantize(Path onnx) throws Exception {
        ModelFile floatFile = OnnxConverter.convertFloat(onnx, ConvertOptions.defaults());
        Model floatModel = Model.fromProto(floatFile);
        TensorInfo in = floatModel.input();
        LabeledImages calibration = DatasetSpec.open("fashion-mnist:train:1000", in.dim(1), in.dim(2), in.dim(3));
        QuantizationResult r = Quantizer.quantize(floatFile, calibration, QuantizeOptions.defaults());
        return Model.fromProto(r.model());
    }

    private static void check(Path onnxFile) throws Exception {
        Model model = quantize(onnxFile);
        ModelProto exported = OnnxExporter.export(model);
        TensorInfo in = model.input();
        LabeledImages test = DatasetSpec.open("fashion-mnist:test", in.dim(1), in.dim(2), in.dim(3));
        int n = in.elementCount();
        int classes = model.output().elementCount();
        byte[] pixels = new byte[n];
        float[] normalized = new float[n];
        byte[] input = new byte[n];
        byte[] edgeqOut = new byte[classes];
        InputSpec spec = model.metadata().getInputSpec();
        float pixelScale = spec.getPixelScale() > 0 ? spec.getPixelScale() : 1f / 255f;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long agree = 0;
        long within = 0;
        long exact = 0;
        int maxDiff = 0;
        long edgeqCorrect = 0;
        long ortCorrect = 0;
        long[] shape = {1, in.dim(1), in.dim(2), in.dim(3)};
        ByteBuffer direct = ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
        List<LayerCapture> layers = LayerCapture.forModel(model, LAYER_IMAGES);
        float[] tensorBuffer = new float[maxActivation(model)];
        try (Interpreter it = Interpreter.create(model, new Interpreter.Options().preserveAllTensors(true));
                OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            opts.setOptimizationLevel(OPT_LEVEL);
            try (OrtSession session = env.createSession(exported.toByteArray(), opts);
                    OnnxTensor tensor = OnnxTensor.createTensor(env, direct, shape, OnnxJavaType.INT8)) {
                for (int i = 0; i < test.size(); i++) {
                    test.pixels(i, pixels, 0);
                    int channels = in.dim(3);
                    for (int k = 0; k < n; k++) {
                        int c = k % channels;
                        float mean = spec.getMeanCount() == 0 ? 0f : spec.getMean(Math.min(c, spec.getMeanCount() - 1));
                        float std = spec.getStdCount() == 0 ? 1f : spec.getStd(Math.min(c, spec.getStdCount() - 1));
                        normalized[k] = ((pixels[k] & 0xFF) * pixelScale - mean) / std;
                    }
                    QuantizeOp.quantize(n, normalized, 0, 1f / in.scale(), in.zeroPoint(), input, 0);
                    it.setInputInt8(input, 0);
                    it.run();
                    it.outputInt8(edgeqOut);
                    if (i < LAYER_IMAGES) {
                        for (LayerCapture layer : layers) {
                            layer.record(it, i, tensorBuffer);
                        }
                    }
                    direct.clear();
                    direct.put(input);
                    direct.flip();
                    byte[] ortOut;
                    try (OrtSession.Result r = session.run(Map.of("input", tensor))) {
                        ByteBuffer b = ((OnnxTensor) r.get(0)).getByteBuffer();
                        ortOut = new byte[b.remaining()];
                        b.get(ortOut);
                    }
                    assertEquals(classes, ortOut.length, "output size");
                    for (int k = 0; k < classes; k++) {
                        int d = Math.abs(edgeqOut[k] - ortOut[k]);
                        maxDiff = Math.max(maxDiff, d);
                        within += d <= 1 ? 1 : 0;
                        exact += d == 0 ? 1 : 0;
                    }
                    int a = argmax(edgeqOut);
                    int b = argmax(ortOut);
                    agree += a == b ? 1 : 0;
                    edgeqCorrect += a == test.label(i) ? 1 : 0;
                    ortCorrect += b == test.label(i) ? 1 : 0;
                }
            }
        }
        int images = test.size();
        long values = (long) images * classes;
        double agreement = (double) agree / images;
        double withinOne = (double) within / values;
        System.out.printf("export int8 %s: %d test images; top-1 agreement edgeq vs ONNX Runtime %.2f%% (%d differ); "
                        + "int8 outputs identical %.2f%%, within 1 LSB %.3f%%, max difference %d LSB; "
                        + "top-1 accuracy edgeq %.2f%%, ONNX Runtime %.2f%%%n",
                onnxFile.getFileName(), images, 100 * agreement, images - agree, 100.0 * exact / values, 100 * withinOne,
                maxDiff, 100.0 * edgeqCorrect / images, 100.0 * ortCorrect / images);
        List<String> failures = checkLayers(onnxFile, model, layers, env);
        assertTrue(agreement >= MIN_TOP1_AGREEMENT, onnxFile + ": top-1 agreement " + agreement);
        assertTrue(failures.isEmpty(), onnxFile + ": layers below " + 100 * MIN_WITHIN_ONE_LSB
                + "% within 1 LSB: " + failures);
    }

    private static int maxActivation(Model model) {
        int max = 0;
        for (TensorInfo t : model.tensors()) {
            max = Math.max(max, t.elementCount());
        }
        return max;
    }

    /**
     * Per int8 operator: runs it alone (exported as a one-operator model) in ONNX Runtime on the
     * int8 input edgeq computed for it, compares with edgeq's int8 output of that operator, prints
     * a table row, and returns the rows below the 1-LSB bar.
     */
    private static List<String> checkLayers(Path onnxFile, Model model, List<LayerCapture> layers, OrtEnvironment env)
            throws Exception {
        List<String> failures = new ArrayList<>();
        System.out.printf("export int8 %s per layer (%d images each, identical inputs):%n", onnxFile.getFileName(), LAYER_IMAGES);
        System.out.printf("  %-3s %-28s %-20s %10s %10s %12s %8s%n", "op", "name", "type", "values", "identical", "within 1 LSB", "max LSB");
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            opts.setOptimizationLevel(OPT_LEVEL);
            for (LayerCapture layer : layers) {
                Operator op = model.operator(layer.op);
                if (layer.single == null) {
                    System.out.printf("  %-3d %-28s %-20s skipped: %d distinct activation inputs (a one-operator edgeq "
                            + "model has exactly one graph input); covered by the end-to-end check%n",
                            layer.op, op.getName(), op.getType(), layer.activationInputs);
                    continue;
                }
                Model single = Model.fromProto(layer.single);
                ModelProto exported = OnnxExporter.export(single);
                TensorInfo x = single.input();
                int n = x.elementCount();
                int m = layer.outCount;
                long[] shape = new long[x.rank()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = x.dim(d);
                }
                ByteBuffer direct = ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
                long within = 0;
                long exact = 0;
                int maxDiff = 0;
                try (OrtSession session = env.createSession(exported.toByteArray(), opts);
                        OnnxTensor tensor = OnnxTensor.createTensor(env, direct, shape, OnnxJavaType.INT8)) {
                    for (int i = 0; i < LAYER_IMAGES; i++) {
                        direct.clear();
                        direct.put(layer.inputs, i * n, n);
                        direct.flip();
                        try (OrtSession.Result r = session.run(Map.of("input", tensor))) {
                            ByteBuffer b = ((OnnxTensor) r.get(0)).getByteBuffer();
                            assertEquals(m, b.remaining(), model.opName(layer.op) + ": ONNX Runtime output size");
                            for (int k = 0; k < m; k++) {
                                int d = Math.abs(layer.outputs[i * m + k] - b.get());
                                maxDiff = Math.max(maxDiff, d);
                                within += d <= 1 ? 1 : 0;
                                exact += d == 0 ? 1 : 0;
                            }
                        }
                    }
                }
                long values = (long) LAYER_IMAGES * m;
                double withinOne = (double) within / values;
                String row = String.format("  %-3d %-28s %-20s %10d %9.2f%% %11.3f%% %8d", layer.op, op.getName(),
                        op.getType(), values, 100.0 * exact / values, 100 * withinOne, maxDiff);
                System.out.println(row);
                if (withinOne < MIN_WITHIN_ONE_LSB) {
                    failures.add(row.trim());
                }
            }
        }
        return failures;
    }

    /**
     * One int8 operator of the model: its one-operator model (null when it reads two different
     * activations) and edgeq's int8 input and output of that operator on the first images.
     */
    static final class LayerCapture {
        final int op;
        final int inTensor;
        final int outTensor;
        final int activationInputs;
        final ModelFile single;
        final int inCount;
        final int outCount;
        final byte[] inputs;
        final byte[] outputs;

        private LayerCapture(Model model, int op, int images) {
            this.op = op;
            Operator o = model.operator(op);
            this.outTensor = o.getOutputs(0);
            int first = -1;
            int distinct = 0;
            for (int t : o.getInputsList()) {
                if (t >= 0 && !model.tensor(t).isConstant() && t != first) {
                    distinct++;
                    first = first < 0 ? t : first;
                }
            }
            this.inTensor = first;
            this.activationInputs = distinct;
            this.single = distinct == 1 ? singleOperator(model.proto(), op) : null;
            this.inCount = model.tensor(inTensor).elementCount();
            this.outCount = model.tensor(outTensor).elementCount();
            this.inputs = single == null ? null : new byte[images * inCount];
            this.outputs = single == null ? null : new byte[images * outCount];
        }

        /** Every operator with an int8 activation input and an int8 output (QUANTIZE / DEQUANTIZE excluded). */
        static List<LayerCapture> forModel(Model model, int images) {
            List<LayerCapture> layers = new ArrayList<>();
            for (int i = 0; i < model.operatorCount(); i++) {
                Operator o = model.operator(i);
                TensorInfo x = model.tensor(o.getInputs(0));
                TensorInfo y = model.tensor(o.getOutputs(0));
                if (x.type() == DataType.INT8 && !x.isConstant() && y.type() == DataType.INT8) {
                    layers.add(new LayerCapture(model, i, images));
                }
            }
            return layers;
        }

        /** Copies edgeq's int8 input and output of this operator for image i (after Interpreter.run). */
        void record(Interpreter it, int image, float[] buffer) {
            if (single == null) {
                return;
            }
            requantize(it, inTensor, buffer, inputs, image * inCount);
            requantize(it, outTensor, buffer, outputs, image * outCount);
        }

        /**
         * The raw int8 values of a tensor: readTensor returns scale * (q - zp) in float, so
         * rint(value / scale) + zp gives q back exactly (|q - zp| <= 255, the float error is ~1e-7 of that).
         */
        private static void requantize(Interpreter it, int tensor, float[] buffer, byte[] dst, int offset) {
            TensorInfo t = it.model().tensor(tensor);
            int n = t.elementCount();
            it.readTensor(tensor, buffer);
            for (int k = 0; k < n; k++) {
                int q = (int) Math.rint((double) buffer[k] / t.scale()) + t.zeroPoint();
                if (q < -128 || q > 127) {
                    throw new AssertionError(t.describe() + " element " + k + ": requantized to " + q + ", outside int8");
                }
                dst[offset + k] = (byte) q;
            }
        }
    }

    /**
     * A model of one operator: its constant tensors, its activation input as the graph input and
     * its output as the graph output; quantization, options and metadata as in the full model.
     */
    static ModelFile singleOperator(ModelFile file, int opIndex) {
        Operator op = file.getOperators(opIndex);
        ModelFile.Builder b = ModelFile.newBuilder().setFormatVersion(file.getFormatVersion()).setMetadata(file.getMetadata());
        Operator.Builder ob = op.toBuilder().clearInputs().clearOutputs();
        Map<Integer, Integer> remap = new HashMap<>();
        int graphInput = -1;
        for (int t : op.getInputsList()) {
            if (t < 0) {
                ob.addInputs(t);
                continue;
            }
            Integer mapped = remap.get(t);
            if (mapped == null) {
                mapped = b.getTensorsCount();
                b.addTensors(file.getTensors(t));
                remap.put(t, mapped);
            }
            if (file.getTensors(t).getData().isEmpty()) {
                graphInput = mapped;
            }
            ob.addInputs(mapped);
        }
        int out = b.getTensorsCount();
        b.addTensors(file.getTensors(op.getOutputs(0)));
        ob.addOutputs(out);
        return b.addOperators(ob).addInputs(graphInput).addOutputs(out).build();
    }

    /** Index of the largest value, the first one on ties (as edgeq's Classifier). */
    static int argmax(byte[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
