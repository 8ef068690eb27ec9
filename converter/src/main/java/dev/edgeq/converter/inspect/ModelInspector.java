package dev.edgeq.converter.inspect;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.ConvertOptions;
import dev.edgeq.converter.OnnxConverter;
import dev.edgeq.converter.ops.EdgeqOpSpec;
import dev.edgeq.converter.ops.OpSpecs;
import dev.edgeq.converter.ops.OperatorOptions;
import dev.edgeq.converter.ops.Window;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.edgeq.format.DataType;
import dev.edgeq.format.FusedActivation;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.format.Tensor;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.ops.OpRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-layer parameters, MACs, connections, output shapes and receptive fields of an .eqm model
 * (an ONNX file is imported and converted to float first, so both are described alike).
 */
public final class ModelInspector {
    private ModelInspector() {
    }

    /** Inspects an ONNX file (by the .onnx extension) or an .eqm file. */
    public static InspectReport inspect(Path file) throws ConversionException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".onnx")) {
            ModelFile m = OnnxConverter.convertFloat(file, ConvertOptions.defaults());
            return inspect(m, file.toString(), "onnx");
        }
        Model model;
        try {
            model = Model.load(file); // the runtime's validation: clear messages for bad files
        } catch (IOException e) {
            throw new ConversionException("cannot read " + file + ": " + e, e);
        } catch (ModelFormatException e) {
            throw new ConversionException(file + ": " + e.getMessage(), e);
        }
        return inspect(model.proto(), file.toString(), "eqm");
    }

    /** Describes a model and adds the runtime Interpreter's arena figures. */
    public static InspectReport inspect(ModelFile m, String source, String format) throws ConversionException {
        InspectReport r = describe(m, source, format);
        try (Interpreter it = Interpreter.create(Model.fromProto(m))) {
            return new InspectReport(r.source(), r.modelName(), r.format(), r.dataType(), r.layers(), r.totalParams(),
                    r.totalMacs(), r.totalConnections(), r.weightBytes(), r.activationBytes(),
                    r.peakLiveActivationBytes(), it.arenaBytes(), it.arenaLowerBoundBytes(),
                    r.floatFallbackLayers(), r.labels());
        } catch (ModelFormatException e) {
            throw new ConversionException(source + ": " + e.getMessage(), e);
        }
    }

    /** Per-layer figures from the file alone (no arena): MACs as the runtime's operator registrations count them. */
    public static InspectReport describe(ModelFile m, String source, String format) throws ConversionException {
        Model model;
        try {
            model = Model.fromProto(m);
        } catch (ModelFormatException e) {
            throw new ConversionException(source + ": " + e.getMessage(), e);
        }
        int nt = m.getTensorsCount();
        int[] rfH = new int[nt];
        int[] rfW = new int[nt];
        int[] jumpH = new int[nt];
        int[] jumpW = new int[nt];
        for (int i : m.getInputsList()) {
            rfH[i] = rfW[i] = jumpH[i] = jumpW[i] = 1;
        }
        List<LayerInfo> layers = new ArrayList<>();
        long totalParams = 0, totalMacs = 0, totalConn = 0;
        for (int k = 0; k < m.getOperatorsCount(); k++) {
            Operator op = m.getOperators(k);
            int outIdx = op.getOutputs(0);
            Tensor out = m.getTensors(outIdx);
            Tensor x = m.getTensors(op.getInputs(0));
            long neurons = elements(out);
            long params = 0;
            List<String> inputs = new ArrayList<>();
            boolean hasBias = false;
            for (int j = 0; j < op.getInputsCount(); j++) {
                int i = op.getInputs(j);
                if (i == -1) {
                    continue;
                }
                Tensor t = m.getTensors(i);
                if (isConstant(t)) {
                    params += elements(t);
                    if (j == 2) {
                        hasBias = true;
                    }
                } else {
                    inputs.add(t.getName());
                }
            }
            long macs;
            Window window;
            try {
                OpRegistry.builtins().validate(model, k);
                macs = OpRegistry.builtins().macs(model, k);
            } catch (ModelFormatException e) {
                throw new ConversionException(source + ": " + e.getMessage(), e);
            }
            EdgeqOpSpec spec = OpSpecs.edgeq(op.getType());
            window = spec == null ? Window.POINT : spec.window(op, model);
            // an addition per output for a bias, or for a constant added to every element
            boolean addsConstant = op.getType() == OpType.ADD && isConstant(m.getTensors(op.getInputs(1)));
            long biasAdds = hasBias || addsConstant ? neurons : 0;
            int kh = window.kernelH(), kw = window.kernelW(), sh = window.strideH(), sw = window.strideW();
            int dh = window.dilationH(), dw = window.dilationW();
            boolean whole = window.whole();
            String kernel = window.label();
            // receptive field: rf_out = rf_in + (k_eff - 1) * jump_in; jump_out = jump_in * stride
            int in0 = op.getInputs(0);
            int rh = rfH[in0], rw = rfW[in0], jh = Math.max(1, jumpH[in0]), jw = Math.max(1, jumpW[in0]);
            for (int j = 1; j < op.getInputsCount(); j++) {
                int i = op.getInputs(j);
                if (i != -1 && !isConstant(m.getTensors(i))) {
                    rh = Math.max(rh, rfH[i]);
                    rw = Math.max(rw, rfW[i]);
                }
            }
            if (whole) {
                int xh = x.getShapeCount() == 4 ? x.getShape(1) : 1;
                int xw = x.getShapeCount() == 4 ? x.getShape(2) : 1;
                rh = rh + (xh - 1) * jh;
                rw = rw + (xw - 1) * jw;
                jh *= xh;
                jw *= xw;
            } else {
                rh = rh + ((kh - 1) * dh) * jh;
                rw = rw + ((kw - 1) * dw) * jw;
                jh *= sh;
                jw *= sw;
            }
            rfH[outIdx] = rh;
            rfW[outIdx] = rw;
            jumpH[outIdx] = jh;
            jumpW[outIdx] = jw;
            long conn = macs + biasAdds;
            totalParams += params;
            totalMacs += macs;
            totalConn += conn;
            layers.add(new LayerInfo(k, op.getName(), op.getType().name(), toInts(out), hwc(out), params, macs, conn,
                    neurons, rh, rw, inputs, activationOf(op), kernel));
        }
        long weightBytes = 0, activationBytes = 0;
        for (Tensor t : m.getTensorsList()) {
            if (isConstant(t)) {
                weightBytes += t.getData().size();
            } else {
                activationBytes += elements(t) * bytesPer(t.getType());
            }
        }
        String dataType = "float32";
        for (Tensor t : m.getTensorsList()) {
            if (t.getType() == DataType.INT8) {
                dataType = "int8";
            }
        }
        List<String> fallback = new ArrayList<>();
        if (dataType.equals("int8")) {
            for (Operator op : m.getOperatorsList()) {
                boolean floatOut = m.getTensors(op.getOutputs(0)).getType() == DataType.FLOAT32;
                if (floatOut && op.getType() != OpType.DEQUANTIZE) {
                    fallback.add(op.getName() + " (" + op.getType() + ")");
                }
            }
        }
        return new InspectReport(source, m.getMetadata().getModelName(), format, dataType, layers, totalParams,
                totalMacs, totalConn, weightBytes, activationBytes, peakLive(m), null, null, fallback,
                m.getMetadata().getLabelsList());
    }

    /** Largest sum of activation bytes live at once: a tensor lives from its producer to its last reader. */
    static long peakLive(ModelFile m) {
        int nt = m.getTensorsCount();
        int[] first = new int[nt];
        int[] last = new int[nt];
        java.util.Arrays.fill(first, Integer.MAX_VALUE);
        java.util.Arrays.fill(last, -1);
        for (int i : m.getInputsList()) {
            first[i] = 0;
        }
        int n = m.getOperatorsCount();
        for (int k = 0; k < n; k++) {
            Operator op = m.getOperators(k);
            for (int i : op.getInputsList()) {
                if (i >= 0) {
                    last[i] = Math.max(last[i], k);
                }
            }
            for (int o : op.getOutputsList()) {
                first[o] = Math.min(first[o], k);
                last[o] = Math.max(last[o], k);
            }
        }
        for (int o : m.getOutputsList()) {
            last[o] = n;
        }
        long peak = 0;
        for (int k = 0; k <= n; k++) {
            long live = 0;
            for (int t = 0; t < nt; t++) {
                Tensor tensor = m.getTensors(t);
                if (!isConstant(tensor) && first[t] <= k && k <= last[t]) {
                    live += elements(tensor) * bytesPer(tensor.getType());
                }
            }
            peak = Math.max(peak, live);
        }
        return peak;
    }

    /** The fused activation of an operator whose options have an {@code activation} field, as "relu", "clip(0,6)"... */
    private static String activationOf(Operator op) {
        Message o = OperatorOptions.of(op);
        if (o == null) {
            return "";
        }
        FieldDescriptor field = o.getDescriptorForType().findFieldByName("activation");
        if (field == null || field.getType() != FieldDescriptor.Type.MESSAGE
                || field.getMessageType() != FusedActivation.getDescriptor()) {
            return "";
        }
        FusedActivation a = (FusedActivation) o.getField(field);
        return switch (a.getType()) {
            case ACTIVATION_NONE -> "";
            case ACTIVATION_RELU -> "relu";
            case ACTIVATION_RELU6 -> "relu6";
            case ACTIVATION_CLIP -> "clip(" + a.getMin() + "," + a.getMax() + ")";
            default -> a.getType().name();
        };
    }

    static boolean isConstant(Tensor t) {
        return !t.getData().isEmpty();
    }

    static long elements(Tensor t) {
        long n = 1;
        for (int d : t.getShapeList()) {
            n *= d;
        }
        return n;
    }

    private static int bytesPer(DataType t) {
        return switch (t) {
            case INT8 -> 1;
            default -> 4;
        };
    }

    private static int[] toInts(Tensor t) {
        return t.getShapeList().stream().mapToInt(Integer::intValue).toArray();
    }

    /** "HxWxC" for [1,H,W,C]; "1x1xN" for [1,N]. */
    static String hwc(Tensor t) {
        List<Integer> s = t.getShapeList();
        if (s.size() == 4) {
            return s.get(1) + "x" + s.get(2) + "x" + s.get(3);
        }
        if (s.size() == 2) {
            return "1x1x" + s.get(1);
        }
        return s.toString();
    }

}
