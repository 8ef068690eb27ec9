package dev.edgeq.converter.export;

import static dev.edgeq.converter.export.OnnxGraphWriter.integer;
import static dev.edgeq.converter.export.OnnxGraphWriter.ints;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.format.DataType;
import dev.edgeq.format.FusedActivation;
import dev.edgeq.format.Operator;
import dev.edgeq.onnx.ModelProto;
import dev.edgeq.onnx.OperatorSetIdProto;
import dev.edgeq.onnx.StringStringEntryProto;
import dev.edgeq.onnx.TensorProto;
import dev.edgeq.converter.ops.EdgeqOpSpec;
import dev.edgeq.converter.ops.OpSpecs;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.ops.OpRegistry;
import dev.edgeq.runtime.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Writes an edgeq model (int8 or float) as an ONNX model that ONNX Runtime runs, for
 * cross-checking edgeq's results and benchmarking against ONNX Runtime's own int8 kernels.
 *
 * <p>Form: QDQ (opset 13). Every int8 activation is an int8 ONNX value; an int8 operator becomes
 * {@code DequantizeLinear} of its inputs, the float operator (Conv, Gemm, MaxPool, ...), its fused
 * activation (Relu / Clip) and a {@code QuantizeLinear} to the output's scale and zero point.
 * Weights stay int8 with their per-channel scales ({@code DequantizeLinear} with {@code axis}), the
 * int32 bias is dequantized at {@code inputScale * weightScale[c]}. ONNX Runtime fuses these groups
 * into its QLinearConv / QGemm / QLinearAdd / ... kernels; it requantizes in float with
 * round-half-to-even where edgeq uses TFLite's fixed-point multiplier, so rare 1-LSB differences are
 * expected. Float operators (float models, float islands of int8 models) are written as themselves.
 *
 * <p>Layout: edgeq runs NHWC with OHWI weights, ONNX convolutions want NCHW with OIHW. The graph
 * input keeps edgeq's shape and type (an int8 model takes the same int8 NHWC bytes as edgeq's input
 * tensor, so both runtimes see identical inputs) and is transposed to NCHW once; weights are
 * transposed at export time; before a RESHAPE / flatten the value is transposed back to NHWC, so
 * the flatten order (which edgeq's dense weights were permuted for) is kept; a rank-4 output is
 * transposed back to NHWC. The graph's input is named "input", its output "output".
 */
public final class OnnxExporter {
    /** The opset written: per-axis DequantizeLinear needs 13. */
    public static final int OPSET = 13;
    /** IR version 8 (ONNX 1.10+) is read by every ONNX Runtime from 1.10 on. */
    static final int IR_VERSION = 8;
    private static final long[] TO_NCHW = {0, 3, 1, 2};
    private static final long[] TO_NHWC = {0, 2, 3, 1};

    private final Model model;
    private final OnnxGraphWriter g;
    /** Per edgeq tensor: its ONNX value (rank-4 activations in NCHW), or null when not produced yet. */
    private final String[] value;
    /** Per edgeq int8 tensor: its dequantized float value, once made. */
    private final String[] dequantized;

    private OnnxExporter(Model model) {
        this.model = model;
        this.g = new OnnxGraphWriter(model.name().isEmpty() ? "edgeq" : model.name());
        this.value = new String[model.tensors().size()];
        this.dequantized = new String[value.length];
    }

    /** Exports a loaded model (its operators are validated first); throws when an operator has no ONNX form here. */
    public static ModelProto export(Model model) throws ConversionException {
        try {
            OpRegistry.builtins().validate(model);
        } catch (ModelFormatException e) {
            throw new ConversionException("export to ONNX: " + e.getMessage(), e);
        }
        return new OnnxExporter(model).run();
    }

    /** Exports and writes atomically (a temporary file renamed into place). */
    public static ModelProto exportToFile(Model model, Path out) throws ConversionException, IOException {
        ModelProto onnx = export(model);
        Path dir = out.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, out.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, onnx.toByteArray());
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return onnx;
    }

    private ModelProto run() throws ConversionException {
        TensorInfo in = model.input();
        g.input("input", elemType(in), dims(in.shape()));
        value[in.index()] = in.rank() == 4 ? g.node("Transpose", new String[] {"input"}, "input_nchw", ints("perm", TO_NCHW))
                : "input";
        for (int i = 0; i < model.operatorCount(); i++) {
            exportOperator(i, model.operator(i));
        }
        TensorInfo out = model.output();
        String result = value[out.index()];
        if (out.rank() == 4) {
            result = g.node("Transpose", new String[] {result}, "output_nhwc", ints("perm", TO_NHWC));
        }
        g.node("Identity", new String[] {result}, "output");
        g.output("output", elemType(out), dims(out.shape()));
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("edgeq")
                .setProducerVersion(model.metadata().getProducerVersion())
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g.build())
                .setDocString("exported by edgeq from model '" + model.name() + "' (sha256 " + model.sha256() + ")");
        m.addMetadataProps(prop("edgeq.labels", String.join("\n", model.labels())));
        m.addMetadataProps(prop("edgeq.input_layout", "NHWC"));
        if (in.type() == DataType.INT8) {
            m.addMetadataProps(prop("edgeq.input_scale", Float.toString(in.scale())));
            m.addMetadataProps(prop("edgeq.input_zero_point", Integer.toString(in.zeroPoint())));
        }
        return m.build();
    }

    private void exportOperator(int index, Operator op) throws ConversionException {
        String name = op.getName().isEmpty() ? "op" + index : op.getName();
        EdgeqOpSpec spec = OpSpecs.edgeq(op.getType());
        if (spec == null) {
            throw new ConversionException("export to ONNX: operator " + index + " '" + op.getName() + "' ("
                    + op.getType() + ") has no ONNX form in this exporter");
        }
        spec.export(this, op, name);
        for (int k = 0; k < op.getOutputsCount(); k++) {
            if (value[op.getOutputs(k)] == null) {
                throw new IllegalStateException("the export of " + op.getType() + " left output " + k + " unset");
            }
        }
    }

    // ---- for the operators' export (EdgeqOpSpec.export) ----

    /** The model being exported. */
    public Model model() {
        return model;
    }

    /** The ONNX graph being written. */
    public OnnxGraphWriter graph() {
        return g;
    }

    /** The ONNX value of an edgeq tensor as produced (int8 values stay int8; rank 4 is NCHW). */
    public String value(int tensor) {
        return value[tensor];
    }

    /** Sets output k to a float result, quantized (QuantizeLinear) when the edgeq output is int8. */
    public void result(Operator op, int k, String floatValue, String name) {
        TensorInfo y = model.tensor(op.getOutputs(k));
        value[y.index()] = y.type() == DataType.INT8 ? quantize(floatValue, y, name) : floatValue;
    }

    /** Sets output k to a value already in the output's type (int8 data moved without arithmetic). */
    public void resultAsIs(Operator op, int k, String v) {
        value[op.getOutputs(k)] = v;
    }

    /** The operator's k-th input as a float ONNX value (dequantized when it is int8). */
    public String floatInput(Operator op, int k) throws ConversionException {
        int t = op.getInputs(k);
        TensorInfo info = model.tensor(t);
        if (info.isConstant()) {
            throw new ConversionException("export to ONNX: operator '" + op.getName() + "' reads constant "
                    + info.describe() + " where an activation was expected");
        }
        return info.type() == DataType.INT8 ? dequantize(t) : value[t];
    }

    /** An int8 tensor's value dequantized (once per tensor). */
    public String dequantize(int t) {
        if (dequantized[t] == null) {
            TensorInfo info = model.tensor(t);
            String scale = g.floats(info.name() + "/scale", new float[] {info.scale()});
            String zp = g.int8s(info.name() + "/zero_point", new byte[] {(byte) info.zeroPoint()});
            dequantized[t] = g.node("DequantizeLinear", new String[] {value[t], scale, zp}, info.name() + "/dq");
        }
        return dequantized[t];
    }

    private String quantize(String floatValue, TensorInfo y, String name) {
        String scale = g.floats(y.name() + "/scale", new float[] {y.scale()});
        String zp = g.int8s(y.name() + "/zero_point", new byte[] {(byte) y.zeroPoint()});
        return g.node("QuantizeLinear", new String[] {floatValue, scale, zp}, name + "/q");
    }

    /** A flattened int8 value (not an edgeq tensor of its own) dequantized with x's parameters. */
    public String dequantizeValue(String v, TensorInfo x) {
        String scale = g.floats(x.name() + "/scale", new float[] {x.scale()});
        String zp = g.int8s(x.name() + "/zero_point", new byte[] {(byte) x.zeroPoint()});
        return g.node("DequantizeLinear", new String[] {v, scale, zp}, x.name() + "/flat_dq");
    }

    /** Weights reordered by {@code perm} (ONNX index -> edgeq index); int8 ones get a per-channel DequantizeLinear. */
    public String weights(TensorInfo w, int[] perm, long[] dims, TensorInfo x) throws ConversionException {
        if (w.type() == DataType.FLOAT32) {
            float[] src = w.floatData();
            float[] dst = new float[src.length];
            for (int i = 0; i < dst.length; i++) {
                dst[i] = src[perm[i]];
            }
            return g.floats(w.name(), dst, dims);
        }
        if (w.type() != DataType.INT8 || x.type() != DataType.INT8) {
            throw new ConversionException("export to ONNX: weights " + w.describe() + " with input " + x.describe()
                    + ": expected float weights with a float input or int8 weights with an int8 input");
        }
        byte[] src = w.int8Data();
        byte[] dst = new byte[src.length];
        for (int i = 0; i < dst.length; i++) {
            dst[i] = src[perm[i]];
        }
        String q = g.int8s(w.name(), dst, dims);
        int channels = (int) dims[0];
        float[] scales = perChannel(w.scales(), channels);
        for (int z : w.zeroPoints()) {
            if (z != 0) {
                throw new ConversionException("export to ONNX: weights " + w.describe() + " have zero point " + z + ", expected 0");
            }
        }
        String scale = g.floats(w.name() + "/scale", scales, channels);
        String zp = g.int8s(w.name() + "/zero_point", new byte[channels], channels);
        return g.node("DequantizeLinear", new String[] {q, scale, zp}, w.name() + "/dq", integer("axis", 0));
    }

    /** Float bias as is; int32 bias dequantized at inputScale * weightScale[c] (its implied scale). */
    public String bias(TensorInfo b, TensorInfo x, TensorInfo w) {
        int channels = b.elementCount();
        if (b.type() == DataType.FLOAT32) {
            return g.floats(b.name(), b.floatData(), channels);
        }
        float[] ws = perChannel(w.scales(), channels);
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = (float) ((double) x.scale() * ws[c]);
        }
        String q = g.int32s(b.name(), b.int32Data(), channels);
        String scale = g.floats(b.name() + "/scale", scales, channels);
        String zp = g.int32s(b.name() + "/zero_point", new int[channels], channels);
        return g.node("DequantizeLinear", new String[] {q, scale, zp}, b.name() + "/dq", integer("axis", 0));
    }

    private static float[] perChannel(float[] scales, int channels) {
        if (scales.length == channels) {
            return scales.clone();
        }
        float[] s = new float[channels];
        java.util.Arrays.fill(s, scales[0]);
        return s;
    }

    /** The second operand of ADD / MUL: an activation, or a per-channel constant shaped to broadcast over NCHW. */
    public String broadcastOperand(Operator op) throws ConversionException {
        TensorInfo a = model.tensor(op.getInputs(0));
        TensorInfo b = model.tensor(op.getInputs(1));
        if (!b.isConstant()) {
            return floatInput(op, 1);
        }
        if (b.type() != DataType.FLOAT32) {
            throw new ConversionException("export to ONNX: operator '" + op.getName() + "' has a constant operand "
                    + b.describe() + " that is not float");
        }
        if (b.elementCount() == a.elementCount() && b.rank() == a.rank()) {
            return constantLike(b.floatData(), b, b.name());
        }
        int channels = b.elementCount();
        return a.rank() == 4 ? g.floats(b.name(), b.floatData(), channels, 1, 1) : g.floats(b.name(), b.floatData(), channels);
    }

    /** A float constant of an activation's shape (NHWC data) in the ONNX layout of that shape. */
    private String constantLike(float[] nhwc, TensorInfo shapeOf, String base) {
        if (shapeOf.rank() != 4) {
            return g.floats(base, nhwc, dims(shapeOf.shape()));
        }
        int h = shapeOf.dim(1);
        int w = shapeOf.dim(2);
        int c = shapeOf.dim(3);
        float[] nchw = new float[nhwc.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < c; k++) {
                    nchw[(k * h + y) * w + x] = nhwc[(y * w + x) * c + k];
                }
            }
        }
        return g.floats(base, nchw, 1, c, h, w);
    }

    /** Appends a fused activation (Relu / Clip) to a float value. */
    public String fusedActivation(String v, FusedActivation a, String name) {
        switch (a.getType()) {
            case ACTIVATION_RELU: return g.node("Relu", new String[] {v}, name + "/relu");
            case ACTIVATION_RELU6: return clip(v, 0f, 6f, name + "/relu6");
            case ACTIVATION_CLIP: return clip(v, a.getMin(), a.getMax(), name + "/clip");
            default: return v;
        }
    }

    public String clip(String v, float min, float max, String name) {
        String lo = g.floats(name + "/min", new float[] {min});
        String hi = g.floats(name + "/max", new float[] {max});
        return g.node("Clip", new String[] {v, lo, hi}, name);
    }

    /** The attribute mode="constant" of a Pad node. */
    public static dev.edgeq.onnx.AttributeProto modeConstant() {
        return dev.edgeq.onnx.AttributeProto.newBuilder().setName("mode")
                .setType(dev.edgeq.onnx.AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8("constant")).build();
    }

    /**
     * Reshapes a value keeping edgeq's (NHWC) element order: a rank-4 input goes back to NHWC
     * first; a rank-4 target is reshaped as NHWC and then transposed to NCHW. {@code y} null:
     * flatten to [1, n].
     */
    public String reshape(String v, TensorInfo x, TensorInfo y, String name) {
        String in = x.rank() == 4 ? g.node("Transpose", new String[] {v}, name + "/nhwc", ints("perm", TO_NHWC)) : v;
        long[] target = y == null ? new long[] {1, x.elementCount()} : dims(y.shape());
        String out = g.node("Reshape", new String[] {in, g.int64s(name + "/shape", target, target.length)}, name);
        if (y != null && y.rank() == 4) {
            out = g.node("Transpose", new String[] {out}, name + "/nchw", ints("perm", TO_NCHW));
        }
        return out;
    }

    /** A tensor's shape as ONNX sees it (rank 4: NCHW). */
    public static long[] onnxShape(TensorInfo t) {
        long[] d = dims(t.shape());
        if (t.rank() == 4) {
            return new long[] {d[0], d[3], d[1], d[2]};
        }
        return d;
    }

    private static long[] dims(int[] shape) {
        long[] d = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            d[i] = shape[i];
        }
        return d;
    }

    /** Options written by older converters may leave strides and dilations 0, meaning 1. */
    public static int positive(int v) {
        return v > 0 ? v : 1;
    }

    private static int elemType(TensorInfo t) throws ConversionException {
        switch (t.type()) {
            case INT8: return TensorProto.DataType.INT8_VALUE;
            case FLOAT32: return TensorProto.DataType.FLOAT_VALUE;
            default: throw new ConversionException("export to ONNX: graph input/output " + t.describe()
                    + " of type " + t.type().name().toLowerCase(Locale.ROOT) + " is not supported");
        }
    }

    private static StringStringEntryProto prop(String key, String v) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(v).build();
    }
}
