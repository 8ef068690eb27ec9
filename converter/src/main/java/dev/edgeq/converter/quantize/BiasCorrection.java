package dev.edgeq.converter.quantize;

import com.google.protobuf.ByteString;
import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.dataset.LabeledImages;
import dev.edgeq.format.DataType;
import dev.edgeq.format.FusedActivation;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.ops.OpContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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

    static ModelFile apply(Model floatModel, ModelFile int8File, int[] origins, LabeledImages images, int count)
            throws ConversionException {
        ModelFile current = int8File;
        int ops = int8File.getOperatorsCount();
        for (int i = 0; i < ops; i++) {
            Operator op = current.getOperators(i);
            OpType type = op.getType();
            boolean layer = type == OpType.CONV_2D || type == OpType.DEPTHWISE_CONV_2D || type == OpType.FULLY_CONNECTED;
            if (!layer || op.getInputsCount() < 3 || op.getInputs(2) < 0
                    || current.getTensors(op.getOutputs(0)).getType() != DataType.INT8) {
                continue;
            }
            current = correct(floatModel, current, i, origins, images, count);
        }
        return current;
    }

    private static ModelFile correct(Model floatModel, ModelFile file, int opIndex, int[] origins, LabeledImages images,
            int count) throws ConversionException {
        Model q;
        try {
            q = Model.fromProto(file);
        } catch (ModelFormatException e) {
            throw new ConversionException("bias correction: " + e.getMessage(), e);
        }
        Operator op = q.operator(opIndex);
        TensorInfo out = q.tensor(op.getOutputs(0));
        TensorInfo bias = q.tensor(op.getInputs(2));
        int floatTensor = origins[out.index()];
        int channels = out.lastDim();
        float[] clamp = OpContext.floatRange(activation(op));
        double qMin = out.scale() * (-128 - out.zeroPoint());
        double qMax = out.scale() * (127 - out.zeroPoint());
        double lo = Math.max(clamp[0], qMin);
        double hi = Math.min(clamp[1], qMax);
        double[] sum = new double[channels];
        long[] n = new long[channels];
        float[] f = new float[out.elementCount()];
        float[] d = new float[out.elementCount()];
        Interpreter.Options preserve = Interpreter.Options.builder().preserveAllTensors(true).build();
        try (Interpreter fi = Interpreter.create(floatModel, preserve); Interpreter qi = Interpreter.create(q, preserve)) {
            byte[] px = new byte[images.height() * images.width() * images.channels()];
            for (int image = 0; image < count; image++) {
                images.pixels(image, px, 0);
                fi.setInputPixels(px, 0);
                qi.setInputPixels(px, 0);
                fi.run();
                qi.run();
                fi.readTensor(floatTensor, f);
                qi.readTensor(out.index(), d);
                for (int k = 0; k < f.length; k++) {
                    // half a step inside the clamp on both sides: neither value was clamped
                    double margin = out.scale() * 0.5;
                    if (f[k] > lo + margin && f[k] < hi - margin && d[k] > lo + margin && d[k] < hi - margin) {
                        int c = k % channels;
                        sum[c] += f[k] - d[k];
                        n[c]++;
                    }
                }
            }
        } catch (ModelFormatException e) {
            throw new ConversionException("bias correction: " + e.getMessage(), e);
        }
        int[] values = bias.int32Data().clone();
        float[] scales = bias.scales();
        for (int c = 0; c < channels; c++) {
            if (n[c] > 0) {
                double meanError = sum[c] / n[c];
                long corrected = values[c] + Rounding.halfAwayFromZero(meanError / scales[scales.length == 1 ? 0 : c]);
                values[c] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, corrected));
            }
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
