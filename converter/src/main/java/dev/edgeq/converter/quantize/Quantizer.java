package dev.edgeq.converter.quantize;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.dataset.LabeledImages;
import dev.edgeq.format.DataType;
import dev.edgeq.format.InputSpec;
import dev.edgeq.format.Metadata;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Post-training int8 quantization of a float edgeq model (already NHWC, BatchNorm folded,
 * activations fused): calibrate on images through the runtime's own float Interpreter, choose a
 * range per activation, quantize the graph ({@link GraphQuantizer}), then measure each layer of
 * the int8 model against the float model on the same images.
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
 */
public final class Quantizer {
    private Quantizer() {}

    public static QuantizationResult quantize(ModelFile floatModel, LabeledImages calibration, QuantizeOptions options)
            throws ConversionException {
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
        TensorStatistics[] stats = Calibrator.collect(model, calibration, count, options);
        double[][] ranges = new double[stats.length][];
        for (int t = 0; t < stats.length; t++) {
            if (stats[t] != null) {
                ranges[t] = RangeSelector.select(stats[t], options);
            }
        }
        QuantParams inputParams = inputParams(model);
        GraphQuantizer.Result q = GraphQuantizer.quantize(floatModel, model, ranges, inputParams);
        ModelFile int8File = withQuantizationMetadata(q.model(), options, calibration, count);
        Model int8Model;
        try {
            int8Model = Model.fromProto(int8File);
            Interpreter.create(int8Model).close(); // every operator prepares
        } catch (ModelFormatException e) {
            throw new ConversionException("quantize: the int8 model of '" + model.name() + "' does not load: "
                    + e.getMessage(), e);
        }
        QuantizationReport report = measure(model, floatModel, int8Model, int8File, q.origins(), stats, calibration,
                count, options, inputParams);
        return new QuantizationResult(int8File, report);
    }

    /** The int8 input parameters implied by the model's input spec (see the class comment). */
    static QuantParams inputParams(Model model) {
        InputSpec spec = model.metadata().getInputSpec();
        // the same defaults as the Interpreter's pixel table
        double pixelScale = spec.getPixelScale() > 0 ? spec.getPixelScale() : 1.0 / 255.0;
        int channels = model.input().lastDim();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < channels; c++) {
            double mean = spec.getMeanCount() == 0 ? 0.0 : spec.getMean(Math.min(c, spec.getMeanCount() - 1));
            double std = spec.getStdCount() == 0 ? 1.0 : spec.getStd(Math.min(c, spec.getStdCount() - 1));
            lo = Math.min(lo, (0 * pixelScale - mean) / std);
            hi = Math.max(hi, (255 * pixelScale - mean) / std);
        }
        return QuantParams.fromRange(lo, hi);
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
            QuantParams inputParams) throws ConversionException {
        int ops = int8Model.operatorCount();
        double[] signal = new double[ops];
        double[] noise = new double[ops];
        float[][] reference = new float[floatModel.tensors().size()][];
        float[][] quantized = new float[ops][];
        for (int i = 0; i < ops; i++) {
            TensorInfo out = int8Model.tensor(int8Model.operator(i).getOutputs(0));
            quantized[i] = new float[out.elementCount()];
            int origin = origins[out.index()];
            if (reference[origin] == null) {
                reference[origin] = new float[out.elementCount()];
            }
        }
        int agree = 0;
        float[] floatOut = new float[floatModel.output().elementCount()];
        float[] int8Out = new float[int8Model.output().elementCount()];
        Interpreter.Options preserve = new Interpreter.Options().preserveAllTensors(true);
        try (Interpreter f = Interpreter.create(floatModel, preserve); Interpreter q = Interpreter.create(int8Model, preserve)) {
            byte[] pixels = new byte[images.height() * images.width() * images.channels()];
            for (int image = 0; image < count; image++) {
                images.pixels(image, pixels, 0);
                f.setInputPixels(pixels, 0);
                q.setInputPixels(pixels, 0);
                f.run();
                q.run();
                for (int t = 0; t < reference.length; t++) {
                    if (reference[t] != null) {
                        f.readTensor(t, reference[t]);
                    }
                }
                for (int i = 0; i < ops; i++) {
                    int out = int8Model.operator(i).getOutputs(0);
                    q.readTensor(out, quantized[i]);
                    float[] r = reference[origins[out]];
                    double s = 0;
                    double e = 0;
                    for (int k = 0; k < r.length; k++) {
                        double d = r[k] - quantized[i][k];
                        s += (double) r[k] * r[k];
                        e += d * d;
                    }
                    signal[i] += s;
                    noise[i] += e;
                }
                f.outputFloat(floatOut);
                q.outputFloat(int8Out);
                if (argmax(floatOut) == argmax(int8Out)) {
                    agree++;
                }
            }
        } catch (ModelFormatException e) {
            throw new ConversionException("quantize: measuring the int8 model failed: " + e.getMessage(), e);
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
                inputParams.scale(), inputParams.zeroPoint(), layers, islands, (double) agree / count,
                floatFile.getSerializedSize(), int8File.getSerializedSize());
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
