package dev.edgeq.converter.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.dataset.LabeledImages;
import dev.edgeq.format.DataType;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.format.Tensor;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.testing.ModelBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuantizerTest {
    private static final QuantizeOptions MINMAX = QuantizeOptions.defaults().withMethod(CalibrationMethod.MINMAX);

    @Test
    void everyLayerOfTheKitchenSinkModelStaysCloseToFloat() throws Exception {
        LabeledImages calibration = QuantTestModels.images(200, 16, 16, 1, 1);
        for (CalibrationMethod method : CalibrationMethod.values()) {
            QuantizationResult r = Quantizer.quantize(QuantTestModels.kitchenSink(7), calibration,
                    QuantizeOptions.defaults().withMethod(method));
            QuantizationReport report = r.report();
            System.out.print(report.toText());
            // every layer up to the logits; the logits' range is chosen for top-1 fidelity instead
            // (winners saturate), so from there on agreement is what counts
            int logits = report.layers().indexOf(report.layer("logits"));
            for (LayerReport l : report.layers().subList(0, logits)) {
                assertTrue(l.sqnrDb() > 30, method + ": layer " + l.name() + " SQNR " + l.sqnrDb() + " dB");
            }
            // and on images that were not used for calibration
            LabeledImages heldOut = QuantTestModels.images(200, 16, 16, 1, 99);
            double agreement = top1Agreement(QuantTestModels.kitchenSink(7), r.model(), heldOut);
            assertTrue(agreement >= 0.95, method + ": top-1 agreement on held-out images " + agreement);
            assertTrue(report.top1Agreement() >= 0.95, method + ": agreement " + report.top1Agreement());
        }
    }

    @Test
    void int8ModelHasTheDocumentedScheme() throws Exception {
        ModelFile floatModel = QuantTestModels.kitchenSink(7);
        ModelFile q = Quantizer.quantize(floatModel, QuantTestModels.images(50, 16, 16, 1, 1), MINMAX).model();
        Model m = Model.fromProto(q);
        assertEquals(DataType.INT8, m.input().type());
        assertTrue(m.isQuantized());
        for (int i = 0; i < m.operatorCount(); i++) {
            Operator op = m.operator(i);
            TensorInfo out = m.tensor(op.getOutputs(0));
            switch (op.getType()) {
                case CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED -> {
                    TensorInfo x = m.tensor(op.getInputs(0));
                    TensorInfo w = m.tensor(op.getInputs(1));
                    int axis = op.getType() == OpType.DEPTHWISE_CONV_2D ? 3 : 0;
                    assertEquals(DataType.INT8, w.type());
                    assertEquals(axis, w.quantizedDimension(), op.getName());
                    assertEquals(w.dim(axis), w.scales().length, op.getName() + ": one scale per output channel");
                    byte[] data = w.int8Data();
                    for (byte v : data) {
                        assertTrue(v >= -127, op.getName() + ": symmetric weights stay in [-127, 127]");
                    }
                    for (int z : w.zeroPoints()) {
                        assertEquals(0, z);
                    }
                    if (op.getInputsCount() > 2 && op.getInputs(2) >= 0) {
                        TensorInfo b = m.tensor(op.getInputs(2));
                        assertEquals(DataType.INT32, b.type());
                        for (int c = 0; c < b.scales().length; c++) {
                            assertEquals((double) x.scale() * w.scales()[c], b.scales()[c], 1e-6 * b.scales()[c]);
                        }
                    }
                    assertEquals(DataType.INT8, out.type());
                }
                case MAX_POOL_2D, AVERAGE_POOL_2D, RESHAPE -> {
                    TensorInfo x = m.tensor(op.getInputs(0));
                    assertEquals(x.scale(), out.scale(), op.getName() + " keeps its input's scale");
                    assertEquals(x.zeroPoint(), out.zeroPoint(), op.getName() + " keeps its input's zero point");
                }
                default -> { }
            }
        }
        // fused ReLU/ReLU6: the output range starts at 0 (zero point -128)
        assertEquals(-128, tensor(m, "conv1").zeroPoint());
        assertEquals(-128, tensor(m, "residual").zeroPoint());
        assertTrue(tensor(m, "conv1").scale() * 255 <= 6.0001, "relu6 output range within [0, 6]");
        // the float weights are gone: the int8 model is much smaller
        assertTrue(q.getSerializedSize() * 2 < floatModel.getSerializedSize(),
                q.getSerializedSize() + " vs " + floatModel.getSerializedSize());
        // names are kept
        for (Tensor t : floatModel.getTensorsList()) {
            assertNotNull(tensor(m, t.getName()), t.getName());
        }
    }

    @Test
    void opsWithoutInt8KernelsRunInFloatBetweenDequantizeAndQuantize() throws Exception {
        QuantizationResult r = Quantizer.quantize(QuantTestModels.kitchenSink(7), QuantTestModels.images(50, 16, 16, 1, 1), MINMAX);
        List<String> ops = opSequence(r.model());
        assertEquals(List.of("CONV_2D conv1", "DEPTHWISE_CONV_2D dw", "CONV_2D pw", "ADD residual",
                "AVERAGE_POOL_2D avgpool", "DEQUANTIZE avgpool/dequantize", "LRN lrn", "QUANTIZE lrn/quantize",
                "CONV_2D conv3", "CONV_2D dilated", "MAX_POOL_2D maxpool", "RESHAPE flatten", "FULLY_CONNECTED fc1",
                "FULLY_CONNECTED logits", "DEQUANTIZE logits/dequantize", "SOFTMAX softmax"), ops);
        assertEquals(List.of("lrn", "softmax"), r.report().floatIslands());
        Model m = Model.fromProto(r.model());
        assertEquals(DataType.FLOAT32, tensor(m, "lrn").type());
        assertEquals(DataType.INT8, tensor(m, "lrn/int8").type());
        assertEquals(DataType.FLOAT32, m.output().type(), "the softmax output stays float");

        QuantizationResult islands = Quantizer.quantize(QuantTestModels.floatIslands(3), QuantTestModels.images(50, 10, 10, 3, 1), MINMAX);
        assertEquals(List.of("DEQUANTIZE input/dequantize", "PAD pad", "QUANTIZE pad/quantize", "CONV_2D conv1",
                "DEQUANTIZE conv1/dequantize", "LEAKY_RELU leaky", "QUANTIZE leaky/quantize",
                "SIGMOID sigmoid", // int8 since format 1.1: a table with TFLite's output quantization
                "CONV_2D conv2", "GLOBAL_AVERAGE_POOL gap", "RESHAPE flatten", "FULLY_CONNECTED logits"),
                opSequence(islands.model()));
        Model mi = Model.fromProto(islands.model());
        assertEquals(DataType.INT8, mi.output().type(), "int8 logits out when the last op is int8");
        assertEquals(1f / 256, tensor(mi, "sigmoid").scale(), "Logistic output scale as TFLite");
        assertEquals(-128, tensor(mi, "sigmoid").zeroPoint());
        for (LayerReport l : islands.report().layers()) {
            assertTrue(l.sqnrDb() > 30, "layer " + l.name() + " SQNR " + l.sqnrDb());
        }
    }

    @Test
    void floatOutputLayerKeepsTheLogitsInFloat() throws Exception {
        QuantizeOptions o = MINMAX.withFloatOutputLayer(true);
        QuantizationResult r = Quantizer.quantize(QuantTestModels.kitchenSink(7), QuantTestModels.images(50, 16, 16, 1, 1), o);
        List<String> ops = opSequence(r.model());
        assertEquals(List.of("FULLY_CONNECTED fc1", "DEQUANTIZE fc1/dequantize", "FULLY_CONNECTED logits", "SOFTMAX softmax"),
                ops.subList(ops.size() - 4, ops.size()));
        assertEquals(null, r.report().decisionTensor());
        QuantizationResult islands = Quantizer.quantize(QuantTestModels.floatIslands(3), QuantTestModels.images(50, 10, 10, 3, 1), o);
        Model m = Model.fromProto(islands.model());
        assertEquals(DataType.FLOAT32, m.output().type(), "float logits");
        assertEquals(DataType.FLOAT32, tensor(m, "logits/w").type(), "the output layer keeps float weights");
        assertTrue(r.report().toText().contains("float output layer"), r.report().toText());
    }

    @Test
    void biasCorrectionRemovesTheMeanErrorOfALayer() throws Exception {
        ModelFile f = QuantTestModels.kitchenSink(7);
        LabeledImages calibration = QuantTestModels.images(100, 16, 16, 1, 1);
        ModelFile plain = Quantizer.quantize(f, calibration, MINMAX.withBiasCorrection(false)).model();
        QuantizationResult corrected = Quantizer.quantize(f, calibration, MINMAX.withBiasCorrection(true));
        assertTrue(corrected.report().method().contains("bias correction"));
        double before = meanAbsChannelError(f, plain, "pw", calibration);
        double after = meanAbsChannelError(f, corrected.model(), "pw", calibration);
        assertTrue(after < before, "mean |per-channel mean error| of 'pw': " + before + " -> " + after);
        assertTrue(after < 0.5 * Model.fromProto(corrected.model()).tensors().stream()
                .filter(t -> t.name().equals("pw")).findFirst().orElseThrow().scale(), "below half a step: " + after);
    }

    /** Mean over channels of |mean over images and positions of (float - int8)| for one tensor. */
    static double meanAbsChannelError(ModelFile floatFile, ModelFile int8File, String tensor, LabeledImages images) throws Exception {
        Model f = Model.fromProto(floatFile);
        Model q = Model.fromProto(int8File);
        TensorInfo ft = tensor(f, tensor);
        TensorInfo qt = tensor(q, tensor);
        int channels = ft.lastDim();
        double[] sum = new double[channels];
        Interpreter.Options keep = Interpreter.Options.builder().preserveAllTensors(true).build();
        try (Interpreter fi = Interpreter.create(f, keep); Interpreter qi = Interpreter.create(q, keep)) {
            byte[] px = new byte[images.height() * images.width() * images.channels()];
            float[] a = new float[ft.elementCount()];
            float[] b = new float[qt.elementCount()];
            for (int i = 0; i < images.size(); i++) {
                images.pixels(i, px, 0);
                fi.setInputPixels(px, 0);
                qi.setInputPixels(px, 0);
                fi.run();
                qi.run();
                fi.readTensor(ft.index(), a);
                qi.readTensor(qt.index(), b);
                for (int k = 0; k < a.length; k++) {
                    sum[k % channels] += a[k] - b[k];
                }
            }
        }
        double total = 0;
        for (double s : sum) {
            total += Math.abs(s / (images.size() * (double) ft.elementCount() / channels));
        }
        return total / channels;
    }

    @Test
    void theLogitsRangeIsChosenForTopOneFidelity() throws Exception {
        QuantizationResult r = Quantizer.quantize(QuantTestModels.kitchenSink(7), QuantTestModels.images(100, 16, 16, 1, 1), MINMAX);
        assertEquals("logits", r.report().decisionTensor(), "the input of the final softmax");
        assertTrue(r.report().decisionAgreement() > 0.97, "" + r.report().decisionAgreement());
        LayerReport logits = r.report().layer("logits");
        // never wider than what calibration saw (minmax), possibly narrower
        assertTrue(logits.rangeMax() <= logits.observedMax() + logits.scale(), logits.toString());
        assertTrue(logits.rangeMin() >= logits.observedMin() - logits.scale(), logits.toString());
        assertTrue(r.report().toText().contains("logits 'logits': range chosen for top-1 fidelity"), r.report().toText());
    }

    @Test
    void rawPixelsMapOntoTheInputThroughMeanAndStd() throws Exception {
        // Fashion-MNIST's mean 0.286 = 72.93 pixel levels: zero point round(72.93) - 128 = -55, scale 1/255/0.353
        QuantizationResult r = Quantizer.quantize(QuantTestModels.kitchenSink(7), QuantTestModels.images(20, 16, 16, 1, 1), MINMAX);
        Model m = Model.fromProto(r.model());
        TensorInfo in = m.input();
        assertEquals(1f / 255f / 0.353f, in.scale(), 1e-7f);
        assertEquals(-55, in.zeroPoint());
        try (Interpreter it = Interpreter.create(m, Interpreter.Options.builder().preserveAllTensors(true).build())) {
            byte[] pixels = new byte[256];
            for (int i = 0; i < 256; i++) {
                pixels[i] = (byte) i;
            }
            it.setInputPixels(pixels, 0);
            float[] x = new float[256];
            it.readTensor(in.index(), x);
            for (int p = 0; p < 256; p++) {
                double exact = (p / 255.0 - 0.286) / 0.353;
                // within the half level the zero point's rounding costs, every pixel its own level
                assertEquals(exact, x[p], 0.5 * in.scale() + 1e-6, "pixel " + p);
                if (p > 0) {
                    assertEquals(in.scale(), x[p] - x[p - 1], 1e-6, "one level per pixel value");
                }
            }
        }
    }

    @Test
    void perChannelMeanAndStdKeepZeroExactAndTheUnionRange() throws Exception {
        ModelBuilder b = new ModelBuilder();
        ModelFile f = QuantTestModels.floatIslands(3);
        ModelFile rgb = f.toBuilder().setMetadata(f.getMetadata().toBuilder().setInputSpec(f.getMetadata().getInputSpec()
                .toBuilder().clearMean().clearStd().addMean(0.485f).addMean(0.456f).addMean(0.406f)
                .addStd(0.229f).addStd(0.224f).addStd(0.225f))).build();
        Model m = Model.fromProto(rgb);
        QuantParams p = Quantizer.inputParams(m);
        double lo = -0.485 / 0.229;
        double hi = (1 - 0.406) / 0.225;
        assertEquals((hi - lo) / 255, p.scale(), 1e-6);
        assertTrue(p.realMin() <= lo + p.scale() && p.realMax() >= hi - p.scale(), p.toString());
        QuantizationResult r = Quantizer.quantize(rgb, QuantTestModels.images(30, 10, 10, 3, 1), MINMAX);
        assertTrue(r.report().top1Agreement() > 0.9);
        assertEquals(p.zeroPoint(), Model.fromProto(r.model()).input().zeroPoint());
        assertNotNull(b);
    }

    @Test
    void reportRendersAsTextAndJson() throws Exception {
        QuantizationResult r = Quantizer.quantize(QuantTestModels.kitchenSink(7), QuantTestModels.images(30, 16, 16, 1, 1),
                QuantizeOptions.defaults().withMethod(CalibrationMethod.PERCENTILE).withPercentile(99.9));
        QuantizationReport report = r.report();
        String text = report.toText();
        assertTrue(text.contains("percentile 99.9, bias correction calibration on 30 images"), text);
        assertTrue(text.contains("float islands: lrn, softmax"), text);
        for (LayerReport l : report.layers()) {
            assertTrue(text.contains(l.name()), l.name());
        }
        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertEquals("kitchen-sink", json.get("model").asText());
        assertEquals(report.layers().size(), json.get("layers").size());
        JsonNode conv1 = json.get("layers").get(0);
        assertEquals("conv1", conv1.get("name").asText());
        assertEquals("int8", conv1.get("type").asText());
        assertEquals(-128, conv1.get("zero_point").asInt());
        assertTrue(conv1.get("sqnr_db").asDouble() > 30);
        assertEquals(16, conv1.get("shape").get(1).asInt());
        assertTrue(json.get("int8_model_bytes").asLong() < json.get("float_model_bytes").asLong());
        assertEquals(2, json.get("float_islands").size());
        // the layer's int8 range covers what calibration observed (minmax) or clips a little (percentile)
        LayerReport pw = report.layer("pw");
        assertTrue(pw.rangeMin() <= 0 && pw.rangeMax() >= 0);
        assertTrue(pw.rangeMax() <= pw.observedMax() + pw.scale(), "percentile never widens past the max");
    }

    @Test
    void clearErrorsForWrongInputs() throws Exception {
        ModelFile f = QuantTestModels.kitchenSink(7);
        ConversionException size = assertThrows(ConversionException.class,
                () -> Quantizer.quantize(f, QuantTestModels.images(5, 12, 12, 1, 1), MINMAX));
        assertTrue(size.getMessage().contains("12x12x1") && size.getMessage().contains("[1x16x16x1]"), size.getMessage());
        ConversionException empty = assertThrows(ConversionException.class,
                () -> Quantizer.quantize(f, QuantTestModels.images(0, 16, 16, 1, 1), MINMAX));
        assertTrue(empty.getMessage().contains("no calibration images"), empty.getMessage());
        ModelFile q = Quantizer.quantize(f, QuantTestModels.images(5, 16, 16, 1, 1), MINMAX).model();
        ConversionException twice = assertThrows(ConversionException.class,
                () -> Quantizer.quantize(q, QuantTestModels.images(5, 16, 16, 1, 1), MINMAX));
        assertTrue(twice.getMessage().contains("already quantized"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CalibrationMethod.parse("kl"));
        assertEquals(CalibrationMethod.MSE, CalibrationMethod.parse("MSE"));
        assertThrows(IllegalArgumentException.class, () -> QuantizeOptions.defaults().withPercentile(40));
    }

    /** Fraction of images whose top-1 class is the same for both models. */
    static double top1Agreement(ModelFile floatModel, ModelFile int8Model, LabeledImages images) throws Exception {
        int agree = 0;
        try (Interpreter fi = Interpreter.create(Model.fromProto(floatModel));
                Interpreter qi = Interpreter.create(Model.fromProto(int8Model))) {
            byte[] px = new byte[images.height() * images.width() * images.channels()];
            float[] a = new float[fi.outputSize()];
            float[] b = new float[qi.outputSize()];
            for (int i = 0; i < images.size(); i++) {
                images.pixels(i, px, 0);
                fi.setInputPixels(px, 0);
                qi.setInputPixels(px, 0);
                fi.run();
                qi.run();
                fi.outputFloat(a);
                qi.outputFloat(b);
                agree += RangeSelector.argmax(a) == RangeSelector.argmax(b) ? 1 : 0;
            }
        }
        return (double) agree / images.size();
    }

    static TensorInfo tensor(Model m, String name) {
        for (TensorInfo t : m.tensors()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    static List<String> opSequence(ModelFile m) {
        List<String> ops = new ArrayList<>();
        for (Operator op : m.getOperatorsList()) {
            ops.add(op.getType() + " " + op.getName());
        }
        return ops;
    }

    @Test
    void weightsRoundTripWithinHalfAStepPerChannel() throws Exception {
        ModelFile f = QuantTestModels.kitchenSink(11);
        Model fm = Model.fromProto(f);
        Model qm = Model.fromProto(Quantizer.quantize(f, QuantTestModels.images(10, 16, 16, 1, 1), MINMAX).model());
        for (String name : List.of("conv1/w", "dw/w", "conv3/w", "fc1/w")) {
            TensorInfo fw = tensor(fm, name);
            TensorInfo qw = tensor(qm, name);
            int axis = qw.quantizedDimension();
            int[] shape = qw.shape();
            int stride = 1;
            for (int d = axis + 1; d < shape.length; d++) {
                stride *= shape[d];
            }
            float[] max = new float[shape[axis]];
            for (int i = 0; i < fw.elementCount(); i++) {
                int c = (i / stride) % shape[axis];
                double back = qw.scales()[c] * qw.int8Data()[i];
                assertEquals(fw.floatData()[i], back, qw.scales()[c] * 0.5 + 1e-9, name + "[" + i + "]");
                max[c] = Math.max(max[c], Math.abs(qw.int8Data()[i]));
            }
            for (float v : max) {
                assertEquals(127f, v, name + ": each channel's largest weight maps to +-127");
            }
        }
        assertFalse(qm.tensors().stream().anyMatch(t -> t.isConstant() && t.type() == DataType.FLOAT32),
                "no float weights left in a model without float islands that need them");
        assertArrayEquals(new int[] {1, 10}, qm.output().shape());
    }
}
