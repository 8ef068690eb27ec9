package dev.edgeq.converter.quantize;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.dataset.LabeledImages;
import dev.edgeq.format.DataType;
import dev.edgeq.format.Metadata;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.runtime.InputNormalization;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.ops.QuantizeOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Post-training int8 quantization of a float edgeq model (already NHWC, BatchNorm folded,
 * activations fused): calibrate on images through the runtime's own float Interpreter, choose a
 * range per activation, quantize the graph ({@link GraphQuantizer}), optionally correct the biases
 * ({@link BiasCorrection}), then measure each layer of the int8 model against the float model on
 * the same images.
 *
 * <pre>
 *   LabeledImages calibration = DatasetSpec.open("fashion-mnist:train:1000", 28, 28, 1);
 *   QuantizationResult r = Quantizer.quantize(floatModel, calibration, QuantizeOptions.defaults());
 *   OnnxConverter.write(r.model(), out);
 *   System.out.print(r.report().toText());
 * </pre>
 *
 * <p>Input: the int8 input holds raw pixels minus 128 shifted by the normalization, i.e. its scale
 * and zero point are chosen so that {@code real = (pixel * pixelScale - mean) / std} maps onto
 * 256 levels: for one channel (or channels sharing mean and std) {@code scale = pixelScale / std},
 * {@code zeroPoint = round(mean / pixelScale) - 128}, exact up to the rounding of the zero point
 * (below half a pixel level). With a different mean/std per channel a per-tensor scale cannot be
 * exact for all channels: the range is the union of the channels' normalized ranges (each channel
 * keeps at least {@code 256 * min(std) / max(std)} levels). In both cases real 0 is exactly the zero
 * point, so the int8 convolution's padding (the input zero point) still means 0 after
 * normalization, as in the float model. The Interpreter's pixel table does the mapping; devices do
 * no per-pixel float math.
 *
 * <p>Defaults ({@link QuantizeOptions#defaults()}): percentile 99.99 calibration and empirical bias
 * correction ({@link BiasCorrection}); measured on the bundled Fashion-MNIST models, these gave the
 * best worst-case top-1 agreement with the float models (see FashionMnistAccuracyTest).
 *
 * <p>Output: the logits (the model output, or the input of a final softmax) are the one tensor
 * whose range is not chosen by the calibration method but for top-1 fidelity
 * ({@link RangeSelector#forArgmax}); with {@link QuantizeOptions#floatOutputLayer()} the layer
 * that computes them runs in float instead and the model outputs float logits.
 */
public final class Quantizer {
    private Quantizer() {}

    public static QuantizationResult quantize(ModelFile floatModel, LabeledImages calibration, QuantizeOptions options)
            throws ConversionException {
        return quantize(floatModel, calibration, options, Progress.NONE);
    }

    /** As {@link #quantize(ModelFile, LabeledImages, QuantizeOptions)}, reporting each stage's progress. */
    public static QuantizationResult quantize(ModelFile floatModel, LabeledImages calibration, QuantizeOptions options,
            Progress progress) throws ConversionException {
        try (Workers workers = new Workers(options.threads())) {
            return quantize(floatModel, calibration, options, progress, workers);
        }
    }

    private static QuantizationResult quantize(ModelFile floatModel, LabeledImages calibration, QuantizeOptions options,
            Progress progress, Workers workers) throws ConversionException {
        Model model;
        try {
            model = Model.fromProto(floatModel);
        } catch (ModelFormatException e) {
            throw new ConversionException("quantize: the float model is invalid: " + e.getMessage(), e);
        }
        if (model.input().type() != DataType.FLOAT32) {
            throw new ConversionException("quantize: model '" + model.name() + "' is already quantized (input "
                    + model.input().describe() + ")");
        }
        TensorInfo in = model.input();
        if (in.rank() != 4 || in.dim(1) != calibration.height() || in.dim(2) != calibration.width()
                || in.dim(3) != calibration.channels()) {
            throw new ConversionException("quantize: calibration images from " + calibration.description() + " are "
                    + calibration.height() + "x" + calibration.width() + "x" + calibration.channels()
                    + " but the model input is " + in.describe());
        }
        int count = options.calibrationLimit() > 0 ? Math.min(options.calibrationLimit(), calibration.size())
                : calibration.size();
        if (count == 0) {
            throw new ConversionException("quantize: no calibration images in " + calibration.description());
        }
        int decision = options.floatOutputLayer() ? -1 : decisionTensor(model);
        float[][] decisionValues = new float[count][];
        TensorStatistics[] stats = Calibrator.collect(model, calibration, count, options, decision, decisionValues,
                workers, progress);
        double[][] ranges = new double[stats.length][];
        double[][] observed = new double[stats.length][];
        for (int t = 0; t < stats.length; t++) {
            if (stats[t] != null) {
                ranges[t] = RangeSelector.select(stats[t], options);
                observed[t] = new double[] {Math.min(0.0, stats[t].min()), Math.max(0.0, stats[t].max())};
            }
        }
        double decisionAgreement = Double.NaN;
        if (decision >= 0) {
            double[] r = RangeSelector.forArgmax(decisionValues, ranges[decision][0], ranges[decision][1]);
            ranges[decision] = new double[] {r[0], r[1]};
            decisionAgreement = r[2];
        }
        QuantParams inputParams = inputParams(model);
        GraphQuantizer.Result q = GraphQuantizer.quantize(floatModel, model, ranges, observed, inputParams,
                options.floatOutputLayer());
        ModelFile quantized = q.model();
        if (options.biasCorrection()) {
            quantized = BiasCorrection.apply(model, quantized, q.origins(), calibration,
                    Math.min(count, QuantizeOptions.BIAS_CORRECTION_IMAGES), QuantizeOptions.BIAS_CORRECTION_BYTES,
                    workers, progress);
        }
        ModelFile int8File = withQuantizationMetadata(quantized, options, calibration, count);
        Model int8Model;
        try {
            int8Model = Model.fromProto(int8File);
            Interpreter.create(int8Model).close(); // every operator prepares
        } catch (ModelFormatException e) {
            throw new ConversionException("quantize: the int8 model of '" + model.name() + "' does not load: "
                    + e.getMessage(), e);
        }
        String decisionName = decision >= 0 ? model.tensor(decision).name() : null;
        QuantizationReport report = measure(model, floatModel, int8Model, int8File, q.origins(), stats, calibration,
                count, options, inputParams, decisionName, decisionAgreement, workers, progress);
        return new QuantizationResult(int8File, report);
    }

    /**
     * The tensor whose argmax is the model's answer: the output, or the input of a final SOFTMAX
     * (monotonic, so it keeps the argmax).
     */
    static int decisionTensor(Model model) {
        int out = model.output().index();
        for (int i = model.operatorCount() - 1; i >= 0; i--) {
            Operator op = model.operator(i);
            if (op.getOutputs(0) == out) {
                if (op.getType() == OpType.SOFTMAX) {
                    return op.getInputs(0);
                }
                return out;
            }
        }
        return -1;
    }

    /** The int8 input parameters implied by the model's input spec (see the class comment). */
    static QuantParams inputParams(Model model) {
        InputNormalization normalization = InputNormalization.of(model);
        return QuantParams.fromRange(normalization.lowest(), normalization.highest());
    }

    private static ModelFile withQuantizationMetadata(ModelFile file, QuantizeOptions options, LabeledImages calibration,
            int count) {
        Metadata m = file.getMetadata().toBuilder()
                .putProperties("quantization", "int8 post-training; activations per tensor asymmetric, weights per channel symmetric")
                .putProperties("calibration_method", options.describeMethod())
                .putProperties("calibration_data", calibration.description() + " (" + count + " images)")
                .build();
        return file.toBuilder().setMetadata(m).build();
    }

    /** Runs both models over the calibration images and measures each int8 layer against its float tensor. */
    private static QuantizationReport measure(Model floatModel, ModelFile floatFile, Model int8Model, ModelFile int8File,
            int[] origins, TensorStatistics[] stats, LabeledImages images, int count, QuantizeOptions options,
            QuantParams inputParams, String decisionName, double decisionAgreement, Workers workers, Progress progress)
            throws ConversionException {
        int ops = int8Model.operatorCount();
        int w = workers.count();
        // per image and layer, kept apart and added in image order below: the report does not depend on the thread count
        double[][] imageSignal = new double[count][ops];
        double[][] imageNoise = new double[count][ops];
        boolean[] agrees = new boolean[count];
        Interpreter[] floats = new Interpreter[w];
        Interpreter[] int8s = new Interpreter[w];
        // Both models run one operator at a time, each int8 layer compared with its float tensor right
        // after both were written, through one buffer per worker and side: a worker needs the memory of
        // one inference per model, not of every activation. The float model is stepped only as far as
        // the next layer needs; if a later layer's float tensor came earlier in the float model (not
        // for graphs the quantizer writes today), the float interpreter keeps all its tensors instead.
        int[] floatProducer = new int[floatModel.tensors().size()];
        Arrays.fill(floatProducer, -1);
        for (int op = 0; op < floatModel.operatorCount(); op++) {
            for (int t : floatModel.operator(op).getOutputsList()) {
                floatProducer[t] = op;
            }
        }
        int largest = 0;
        boolean inOrder = true;
        for (int i = 0, reached = -1; i < ops; i++) {
            TensorInfo out = int8Model.tensor(int8Model.operator(i).getOutputs(0));
            if (out.type() != DataType.INT8 && out.type() != DataType.FLOAT32) {
                throw new ConversionException("quantize: layer output " + out.describe() + " is neither INT8 nor FLOAT32");
            }
            largest = Math.max(largest, out.elementCount());
            int producer = floatProducer[origins[out.index()]];
            inOrder &= producer < 0 || producer >= reached;
            reached = Math.max(reached, producer);
        }
        float[][] reference = new float[w][largest];
        float[][] quantized = new float[w][largest];
        byte[][] raw = new byte[w][largest];
        float[][] floatOut = new float[w][floatModel.output().elementCount()];
        float[][] int8Out = new float[w][int8Model.output().elementCount()];
        byte[][] pixels = new byte[w][images.height() * images.width() * images.channels()];
        Interpreter.Options floatOptions = Interpreter.Options.builder().preserveAllTensors(!inOrder).build();
        try {
            for (int k = 0; k < w; k++) {
                floats[k] = Interpreter.create(floatModel, floatOptions);
                int8s[k] = Interpreter.create(int8Model);
            }
        } catch (ModelFormatException e) {
            throw new ConversionException("quantize: measuring the int8 model failed: " + e.getMessage(), e);
        }
        progress.start("measuring", count);
        workers.forEachImage(count, (k, image) -> {
            Interpreter f = floats[k];
            Interpreter q = int8s[k];
            images.pixels(image, pixels[k], 0);
            f.setInputPixels(pixels[k], 0);
            q.setInputPixels(pixels[k], 0);
            float[] r = reference[k];
            float[] qv = quantized[k];
            int floatNext = 0;
            for (int i = 0; i < ops; i++) {
                q.runOperator(i);
                TensorInfo out = int8Model.tensor(int8Model.operator(i).getOutputs(0));
                int origin = origins[out.index()];
                for (; floatNext <= floatProducer[origin]; floatNext++) {
                    f.runOperator(floatNext);
                }
                if (out.type() == DataType.INT8) {
                    q.readTensorRaw(out.index(), raw[k]);
                    QuantizeOp.dequantize(out.elementCount(), raw[k], 0, out.scale(), out.zeroPoint(), qv, 0);
                } else {
                    q.readTensorRaw(out.index(), qv);
                }
                f.readTensorRaw(origin, r);
                double s = 0;
                double e = 0;
                for (int j = 0, size = out.elementCount(); j < size; j++) {
                    double d = r[j] - qv[j];
                    s += (double) r[j] * r[j];
                    e += d * d;
                }
                imageSignal[image][i] = s;
                imageNoise[image][i] = e;
            }
            for (; floatNext < floatModel.operatorCount(); floatNext++) {
                f.runOperator(floatNext);
            }
            f.outputFloat(floatOut[k]);
            q.outputFloat(int8Out[k]);
            agrees[image] = RangeSelector.argmax(floatOut[k]) == RangeSelector.argmax(int8Out[k]);
            progress.step();
        });
        double[] signal = new double[ops];
        double[] noise = new double[ops];
        int agree = 0;
        for (int image = 0; image < count; image++) {
            for (int i = 0; i < ops; i++) {
                signal[i] += imageSignal[image][i];
                noise[i] += imageNoise[image][i];
            }
            agree += agrees[image] ? 1 : 0;
        }
        List<LayerReport> layers = new ArrayList<>();
        List<String> islands = new ArrayList<>();
        for (int i = 0; i < ops; i++) {
            Operator op = int8Model.operator(i);
            TensorInfo out = int8Model.tensor(op.getOutputs(0));
            TensorStatistics st = stats[origins[out.index()]];
            boolean int8 = out.type() == DataType.INT8;
            boolean conversion = op.getType() == OpType.QUANTIZE || op.getType() == OpType.DEQUANTIZE;
            if (!int8 && !conversion) {
                islands.add(op.getName());
            }
            double sqnr = noise[i] == 0 ? Double.POSITIVE_INFINITY
                    : signal[i] == 0 ? Double.NEGATIVE_INFINITY : 10 * Math.log10(signal[i] / noise[i]);
            layers.add(new LayerReport(i, op.getName(), op.getType().name(), out.name(), out.shape(), int8,
                    st.min(), st.max(),
                    int8 ? out.scale() * (-128.0 - out.zeroPoint()) : Double.NaN,
                    int8 ? out.scale() * (127.0 - out.zeroPoint()) : Double.NaN,
                    int8 ? out.scale() : Double.NaN, int8 ? out.zeroPoint() : 0, sqnr));
        }
        return new QuantizationReport(floatModel.name(), options.describeMethod(), images.description(), count,
                inputParams.scale(), inputParams.zeroPoint(), layers, islands, decisionName, decisionAgreement,
                (double) agree / count,
                floatFile.getSerializedSize(), int8File.getSerializedSize());
    }
}
