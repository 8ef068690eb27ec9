package dev.edgeq.converter.quantize;

import com.google.protobuf.ByteString;
import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.dataset.LabeledImages;
import dev.edgeq.format.DataType;
import dev.edgeq.format.FusedActivation;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.ops.OpContext;
import dev.edgeq.runtime.ops.QuantizeOp;
import dev.edgeq.runtime.quant.QuantizedMultiplier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Empirical bias correction (after Nagel et al., "Data-Free Quantization", 2019, measured on data):
 * rounding weights and activations shifts the mean of a layer's output channel a little, and such
 * shifts add up through a deep network. Layer by layer in execution order, each int8 conv / dense
 * output is compared with the float model's on calibration images, the mean error of each output
 * channel is measured where neither value is clamped by the fused activation (there the error
 * before and after the activation is the same), and that mean is added to the int32 bias. Later
 * layers are measured on the already corrected model.
 */
final class BiasCorrection {
    private BiasCorrection() {}

    /**
     * Both models are stepped operator by operator over the images ({@link LayerwiseRunner}), so each
     * operator runs once per image (a corrected one twice), however deep the model: layer i is
     * measured exactly as if the whole model with layers before i corrected had been run. Every
     * image's activations stay in memory between layers, so the images are the first {@code count}
     * but no more than {@code budget} bytes hold ({@link #imagesWithin};
     * {@link QuantizeOptions#BIAS_CORRECTION_BYTES} in conversion).
     */
    static ModelFile apply(Model floatModel, ModelFile int8File, int[] origins, LabeledImages images, int count,
            long budget, Workers workers, Progress progress) throws ConversionException {
        int used = imagesWithin(budget, bytesPerImage(floatModel, int8File, origins, images, workers), count);
        return sweep(floatModel, int8File, origins, images, used, workers, progress).model;
    }

    /**
     * How many of {@code count} images bias correction uses when each holds {@code perImage} bytes of
     * activations at its peak: all that fit in {@code budget}, at least one. A function of the models
     * only (not of the machine or the thread count), so the .eqm bytes stay the same everywhere.
     */
    static int imagesWithin(long budget, long perImage, int count) {
        return (int) Math.max(1, Math.min(count, budget / Math.max(1, perImage)));
    }

    /** The most bytes of activations one image holds during bias correction (the sweep over no image, which only counts). */
    static long bytesPerImage(Model floatModel, ModelFile int8File, int[] origins, LabeledImages images, Workers workers)
            throws ConversionException {
        return sweep(floatModel, int8File, origins, images, 0, workers, Progress.NONE).bytesPerImage;
    }

    private record Sweep(ModelFile model, long bytesPerImage) {}

    /** The corrected model and the most bytes of activations one image held; over 0 images it only counts. */
    private static Sweep sweep(Model floatModel, ModelFile int8File, int[] origins, LabeledImages images, int count,
            Workers workers, Progress progress) throws ConversionException {
        ModelFile current = int8File;
        Model q = load(current);
        int[] floatProducer = producers(floatModel);
        LayerwiseRunner floats = new LayerwiseRunner(floatModel, images, count, workers);
        LayerwiseRunner int8 = new LayerwiseRunner(q, images, count, workers);
        long peak = 0;
        int ops = int8File.getOperatorsCount();
        progress.start("bias correction on " + count + " images", ops);
        for (int i = 0; i < ops; i++) {
            Operator op = current.getOperators(i);
            int8.run(i);
            OpType type = op.getType();
            boolean layer = type == OpType.CONV_2D || type == OpType.DEPTHWISE_CONV_2D || type == OpType.FULLY_CONNECTED;
            if (layer && op.getInputsCount() >= 3 && op.getInputs(2) >= 0
                    && current.getTensors(op.getOutputs(0)).getType() == DataType.INT8) {
                int floatTensor = origins[op.getOutputs(0)];
                floats.runThrough(floatProducer[floatTensor]);
                ModelFile corrected = correct(q, current, i, floatTensor, floats, int8, count);
                if (corrected != current) {
                    current = corrected;
                    q = load(current);
                    int8.replace(i, q);
                    int8.run(i);
                }
            }
            peak = Math.max(peak, int8.bytesPerImage() + floats.peakBytesPerImage());
            floats.resetPeak();
            int8.release(i);
            progress.step();
        }
        return new Sweep(current, peak);
    }

    private static Model load(ModelFile file) throws ConversionException {
        try {
            return Model.fromProto(file);
        } catch (ModelFormatException e) {
            throw new ConversionException("bias correction: " + e.getMessage(), e);
        }
    }

    /** Per tensor index: the operator that writes it (-1 for none). */
    private static int[] producers(Model model) {
        int[] producer = new int[model.tensors().size()];
        Arrays.fill(producer, -1);
        for (int i = 0; i < model.operatorCount(); i++) {
            for (int t : model.operator(i).getOutputsList()) {
                producer[t] = i;
            }
        }
        return producer;
    }

    /** The file with operator {@code opIndex}'s bias corrected, or {@code file} itself when nothing changes. */
    private static ModelFile correct(Model q, ModelFile file, int opIndex, int floatTensor, LayerwiseRunner floats,
            LayerwiseRunner int8, int count) {
        Operator op = q.operator(opIndex);
        TensorInfo out = q.tensor(op.getOutputs(0));
        TensorInfo bias = q.tensor(op.getInputs(2));
        int channels = out.lastDim();
        float[] clamp = OpContext.floatRange(activation(op));
        double qMin = out.scale() * (-128 - out.zeroPoint());
        double qMax = out.scale() * (127 - out.zeroPoint());
        double lo = Math.max(clamp[0], qMin);
        double hi = Math.min(clamp[1], qMax);
        double[] sum = new double[channels];
        long[] n = new long[channels];
        // half a step inside the clamp on both sides: neither value was clamped
        double margin = out.scale() * 0.5;
        double low = lo + margin;
        double high = hi - margin;
        float scale = out.scale();
        int zeroPoint = out.zeroPoint();
        // in image order on one thread: the sums, hence the .eqm bytes, do not depend on the thread count
        for (int image = 0; image < count; image++) {
            float[] f = floats.floats(image, floatTensor);
            byte[] values8 = int8.int8(image, out.index());
            for (int k = 0, c = 0; k < f.length; k++) {
                float fv = f[k];
                float dv = QuantizeOp.dequantize(values8[k], scale, zeroPoint);
                if (fv > low && fv < high && dv > low && dv < high) {
                    sum[c] += fv - dv;
                    n[c]++;
                }
                c = c + 1 == channels ? 0 : c + 1;
            }
        }
        int[] values = bias.int32Data().clone();
        float[] scales = bias.scales();
        boolean changed = false;
        for (int c = 0; c < channels; c++) {
            if (n[c] > 0) {
                double meanError = sum[c] / n[c];
                long corrected = values[c] + QuantizedMultiplier.roundHalfAwayFromZero(meanError / scales[scales.length == 1 ? 0 : c]);
                int value = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, corrected));
                changed |= value != values[c];
                values[c] = value;
            }
        }
        if (!changed) {
            return file;
        }
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            data.putInt(v);
        }
        ModelFile.Builder b = file.toBuilder();
        b.setTensors(bias.index(), file.getTensors(bias.index()).toBuilder().setData(ByteString.copyFrom(data.array())));
        return b.build();
    }

    private static FusedActivation activation(Operator op) {
        if (op.hasConv()) {
            return op.getConv().getActivation();
        }
        return op.getFullyConnected().getActivation();
    }
}
