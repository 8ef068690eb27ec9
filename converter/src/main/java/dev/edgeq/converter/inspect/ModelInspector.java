package dev.edgeq.converter.inspect;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.ConvertOptions;
import dev.edgeq.converter.OnnxConverter;
import dev.edgeq.format.Activation;
import dev.edgeq.format.ConvOptions;
import dev.edgeq.format.DataType;
import dev.edgeq.format.FusedActivation;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.format.PoolOptions;
import dev.edgeq.format.Tensor;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.LayerFigures;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
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

    /** Per-layer figures from the file alone (no runtime). */
    public static InspectReport describe(ModelFile m, String source, String format) throws ConversionException {
        int nt = m.getTensorsCount();
        int[] rfH = new int[nt];
        int[] rfW = new int[nt];
        int[] jumpH = new int[nt];
        int[] jumpW = new int[nt];
        for (int i : m.getInputsList()) {
            check(m, i, source, "graph input");
            rfH[i] = rfW[i] = jumpH[i] = jumpW[i] = 1;
        }
        List<LayerInfo> layers = new ArrayList<>();
        long totalParams = 0, totalMacs = 0, totalConn = 0;
        for (int k = 0; k < m.getOperatorsCount(); k++) {
            Operator op = m.getOperators(k);
            if (op.getInputsCount() == 0 || op.getOutputsCount() != 1) {
                throw new ConversionException(source + ": operator " + k + " '" + op.getName()
                        + "' needs inputs and exactly one output");
            }
            for (int i : op.getInputsList()) {
                if (i != -1) {
                    check(m, i, source, "operator '" + op.getName() + "' input");
                }
            }
            int outIdx = op.getOutputs(0);
            check(m, outIdx, source, "operator '" + op.getName() + "' output");
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
            long macs = LayerFigures.macs(m, k);
            long biasAdds = hasBias ? neurons : 0;
            int kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1;
            boolean whole = false;
            String kernel = "";
            switch (op.getType()) {
                case CONV_2D -> {
                    Tensor w = m.getTensors(op.getInputs(1));
                    kh = w.getShape(1);
                    kw = w.getShape(2);
                }
                case DEPTHWISE_CONV_2D -> {
                    Tensor w = m.getTensors(op.getInputs(1));
                    kh = w.getShape(1);
                    kw = w.getShape(2);
                }
                case FULLY_CONNECTED -> whole = true;
                case ADD -> {
                    if (op.getInputsCount() > 1 && isConstant(m.getTensors(op.getInputs(1)))) {
                        biasAdds = neurons;
                    }
                }
                case MAX_POOL_2D, AVERAGE_POOL_2D -> {
                    PoolOptions p = op.getPool();
                    kh = p.getKernelH();
                    kw = p.getKernelW();
                    sh = p.getStrideH();
                    sw = p.getStrideW();
                    kernel = kh + "x" + kw + "/" + sh;
                }
                case GLOBAL_AVERAGE_POOL, GLOBAL_MAX_POOL -> whole = true;
                default -> {
                }
            }
            if (op.getType() == OpType.CONV_2D || op.getType() == OpType.DEPTHWISE_CONV_2D) {
                ConvOptions c = op.getConv();
                sh = Math.max(1, c.getStrideH());
                sw = Math.max(1, c.getStrideW());
                dh = Math.max(1, c.getDilationH());
                dw = Math.max(1, c.getDilationW());
                kernel = kh + "x" + kw + "/" + sh + (dh > 1 ? " d" + dh : "");
            }
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

    private static void check(ModelFile m, int i, String source, String what) throws ConversionException {
        if (i < 0 || i >= m.getTensorsCount()) {
            throw new ConversionException(source + ": " + what + " refers to tensor " + i + " but the model has "
                    + m.getTensorsCount() + " tensors");
        }
    }

    private static String activationOf(Operator op) {
        FusedActivation a = switch (op.getOptionsCase()) {
            case CONV -> op.getConv().getActivation();
            case POOL -> op.getPool().getActivation();
            case FULLY_CONNECTED -> op.getFullyConnected().getActivation();
            case ADD -> op.getAdd().getActivation();
            default -> null;
        };
        if (a == null || a.getType() == Activation.ACTIVATION_NONE) {
            return "";
        }
        return switch (a.getType()) {
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
        return LayerFigures.hwc(t.getShapeList());
    }

}
