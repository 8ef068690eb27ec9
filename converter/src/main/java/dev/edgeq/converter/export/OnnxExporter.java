package dev.edgeq.converter.export;

import static dev.edgeq.converter.export.OnnxGraphWriter.integer;
import static dev.edgeq.converter.export.OnnxGraphWriter.ints;
import static dev.edgeq.converter.export.OnnxGraphWriter.real;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.format.ConvOptions;
import dev.edgeq.format.DataType;
import dev.edgeq.format.FusedActivation;
import dev.edgeq.format.Operator;
import dev.edgeq.format.Padding;
import dev.edgeq.format.PoolOptions;
import dev.edgeq.onnx.ModelProto;
import dev.edgeq.onnx.OperatorSetIdProto;
import dev.edgeq.onnx.StringStringEntryProto;
import dev.edgeq.onnx.TensorProto;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
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

    /** Exports a loaded (validated) model; throws when an operator has no ONNX form here. */
    public static ModelProto export(Model model) throws ConversionException {
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
        TensorInfo y = model.tensor(op.getOutputs(0));
        String name = op.getName().isEmpty() ? "op" + index : op.getName();
        String result;
        switch (op.getType()) {
            case CONV_2D:
            case DEPTHWISE_CONV_2D:
                result = activation(conv(op, name), op.getConv().getActivation(), name);
                break;
            case FULLY_CONNECTED:
                result = activation(dense(op, name), op.getFullyConnected().getActivation(), name);
                break;
            case MAX_POOL_2D:
            case AVERAGE_POOL_2D:
                result = activation(pool(op, y, name), op.getPool().getActivation(), name);
                break;
            case GLOBAL_AVERAGE_POOL:
                result = g.node("GlobalAveragePool", new String[] {floatInput(op, 0)}, name);
                break;
            case GLOBAL_MAX_POOL:
                result = g.node("GlobalMaxPool", new String[] {floatInput(op, 0)}, name);
                break;
            case ADD:
                result = activation(g.node("Add", new String[] {floatInput(op, 0), broadcastOperand(op)}, name),
                        op.getAdd().getActivation(), name);
                break;
            case MUL:
                result = g.node("Mul", new String[] {floatInput(op, 0), broadcastOperand(op)}, name);
                break;
            case RELU:
                result = g.node("Relu", new String[] {floatInput(op, 0)}, name);
                break;
            case CLIP:
                result = clip(floatInput(op, 0), op.getClip().getMin(), op.getClip().getMax(), name);
                break;
            case LEAKY_RELU:
                result = g.node("LeakyRelu", new String[] {floatInput(op, 0)}, name, real("alpha", op.getLeakyRelu().getAlpha()));
                break;
            case SIGMOID:
                result = g.node("Sigmoid", new String[] {floatInput(op, 0)}, name);
                break;
            case SOFTMAX:
                result = softmax(op, name);
                break;
            case LRN:
                result = g.node("LRN", new String[] {floatInput(op, 0)}, name,
                        integer("size", op.getLrn().getSize()), real("alpha", op.getLrn().getAlpha()),
                        real("beta", op.getLrn().getBeta()), real("bias", op.getLrn().getBias()));
                break;
            case PAD:
                result = pad(op, name);
                break;
            case RESHAPE:
                // no arithmetic: int8 values are reshaped as int8, nothing to requantize
                value[y.index()] = reshape(value[op.getInputs(0)], model.tensor(op.getInputs(0)), y, name);
                return;
            case QUANTIZE:
                result = value[op.getInputs(0)];
                break;
            case DEQUANTIZE:
                value[y.index()] = dequantize(op.getInputs(0));
                return;
            default:
                throw new ConversionException("export to ONNX: operator " + index + " '" + op.getName() + "' ("
                        + op.getType() + ") has no ONNX form in this exporter");
        }
        value[y.index()] = y.type() == DataType.INT8 ? quantize(result, y, name) : result;
    }

    /** The operator's k-th input as a float ONNX value (dequantized when it is int8). */
    private String floatInput(Operator op, int k) throws ConversionException {
        int t = op.getInputs(k);
        TensorInfo info = model.tensor(t);
        if (info.isConstant()) {
            throw new ConversionException("export to ONNX: operator '" + op.getName() + "' reads constant "
                    + info.describe() + " where an activation was expected");
        }
        return info.type() == DataType.INT8 ? dequantize(t) : value[t];
    }

    private String dequantize(int t) {
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

    private String conv(Operator op, String name) throws ConversionException {
        boolean depthwise = op.getType() == dev.edgeq.format.OpType.DEPTHWISE_CONV_2D;
        TensorInfo x = model.tensor(op.getInputs(0));
        TensorInfo w = model.tensor(op.getInputs(1));
        ConvOptions o = op.getConv();
        // OHWI (conv) or 1HWO (depthwise) -> OIHW ([O][1][H][W] for depthwise, group = C_in)
        int outC = depthwise ? w.dim(3) : w.dim(0);
        int kh = w.dim(1);
        int kw = w.dim(2);
        int inPerGroup = depthwise ? 1 : w.dim(3);
        int n = w.elementCount();
        int[] perm = new int[n];
        for (int oc = 0; oc < outC; oc++) {
            for (int ic = 0; ic < inPerGroup; ic++) {
                for (int h = 0; h < kh; h++) {
                    for (int v = 0; v < kw; v++) {
                        int dst = ((oc * inPerGroup + ic) * kh + h) * kw + v;
                        perm[dst] = depthwise ? (h * kw + v) * outC + oc : ((oc * kh + h) * kw + v) * inPerGroup + ic;
                    }
                }
            }
        }
        String weights = weights(w, perm, new long[] {outC, inPerGroup, kh, kw}, x);
        List<String> inputs = new ArrayList<>(List.of(floatInput(op, 0), weights));
        if (op.getInputsCount() > 2 && op.getInputs(2) >= 0) {
            inputs.add(bias(model.tensor(op.getInputs(2)), x, w));
        }
        Padding p = o.getPadding();
        return g.node("Conv", inputs.toArray(new String[0]), name,
                ints("kernel_shape", kh, kw),
                ints("strides", positive(o.getStrideH()), positive(o.getStrideW())),
                ints("dilations", positive(o.getDilationH()), positive(o.getDilationW())),
                ints("pads", p.getTop(), p.getLeft(), p.getBottom(), p.getRight()),
                integer("group", depthwise ? x.dim(3) : 1));
    }

    private String dense(Operator op, String name) throws ConversionException {
        TensorInfo x = model.tensor(op.getInputs(0));
        TensorInfo w = model.tensor(op.getInputs(1));
        String flat = value[x.index()];
        if (x.rank() != 2) {
            flat = reshape(flat, x, null, name + "/flatten");
        }
        String in = x.type() == DataType.INT8 ? dequantizeValue(flat, x) : flat;
        int[] identity = new int[w.elementCount()];
        for (int i = 0; i < identity.length; i++) {
            identity[i] = i;
        }
        String weights = weights(w, identity, new long[] {w.dim(0), w.dim(1)}, x);
        List<String> inputs = new ArrayList<>(List.of(in, weights));
        if (op.getInputsCount() > 2 && op.getInputs(2) >= 0) {
            inputs.add(bias(model.tensor(op.getInputs(2)), x, w));
        }
        String result = g.node("Gemm", inputs.toArray(new String[0]), name, integer("transB", 1));
        TensorInfo y = model.tensor(op.getOutputs(0));
        if (y.rank() != 2) {
            result = g.node("Reshape", new String[] {result, g.int64s(name + "/shape", onnxShape(y), y.rank())}, name + "/reshape");
        }
        return result;
    }

    /** A flattened int8 value (not an edgeq tensor of its own) dequantized with x's parameters. */
    private String dequantizeValue(String v, TensorInfo x) {
        String scale = g.floats(x.name() + "/scale", new float[] {x.scale()});
        String zp = g.int8s(x.name() + "/zero_point", new byte[] {(byte) x.zeroPoint()});
        return g.node("DequantizeLinear", new String[] {v, scale, zp}, x.name() + "/flat_dq");
    }

    /** Weights reordered by {@code perm} (ONNX index -> edgeq index); int8 ones get a per-channel DequantizeLinear. */
    private String weights(TensorInfo w, int[] perm, long[] dims, TensorInfo x) throws ConversionException {
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
    private String bias(TensorInfo b, TensorInfo x, TensorInfo w) {
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

    private String pool(Operator op, TensorInfo y, String name) throws ConversionException {
        PoolOptions o = op.getPool();
        TensorInfo x = model.tensor(op.getInputs(0));
        Padding p = o.getPadding();
        int kh = o.getKernelH();
        int kw = o.getKernelW();
        int sh = positive(o.getStrideH());
        int sw = positive(o.getStrideW());
        // edgeq's output shape is authoritative; pick the ONNX rounding that reproduces it
        boolean floorFits = (x.dim(1) + p.getTop() + p.getBottom() - kh) / sh + 1 == y.dim(1)
                && (x.dim(2) + p.getLeft() + p.getRight() - kw) / sw + 1 == y.dim(2);
        boolean max = op.getType() == dev.edgeq.format.OpType.MAX_POOL_2D;
        String in = floatInput(op, 0);
        long[] pads = {p.getTop(), p.getLeft(), p.getBottom(), p.getRight()};
        boolean padsFit = p.getTop() < kh && p.getBottom() < kh && p.getLeft() < kw && p.getRight() < kw;
        if (!padsFit) {
            // ONNX pools refuse pads >= kernel (edgeq gets them from a Pad fused into the pool): pad
            // explicitly with what the pool would have seen there, then pool without padding
            float fill;
            if (max) {
                fill = -Float.MAX_VALUE;
            } else if (o.getCountIncludePad()) {
                fill = 0f;
            } else {
                throw new ConversionException("export to ONNX: average pool '" + op.getName() + "' has padding "
                        + java.util.Arrays.toString(pads) + " not smaller than its " + kh + "x" + kw
                        + " window without count_include_pad, which ONNX cannot express");
            }
            String padValues = g.int64s(name + "/pads", new long[] {0, 0, pads[0], pads[1], 0, 0, pads[2], pads[3]}, 8);
            String constant = g.floats(name + "/pad_value", new float[] {fill});
            in = g.node("Pad", new String[] {in, padValues, constant}, name + "/pad", modeConstant());
            pads = new long[4];
        }
        List<dev.edgeq.onnx.AttributeProto> attrs = new ArrayList<>(List.of(
                ints("kernel_shape", kh, kw), ints("strides", sh, sw), ints("pads", pads),
                integer("ceil_mode", floorFits ? 0 : 1)));
        if (!max) {
            attrs.add(integer("count_include_pad", o.getCountIncludePad() ? 1 : 0));
        }
        return g.node(max ? "MaxPool" : "AveragePool", new String[] {in}, name,
                attrs.toArray(new dev.edgeq.onnx.AttributeProto[0]));
    }

    /** The second operand of ADD / MUL: an activation, or a per-channel constant shaped to broadcast over NCHW. */
    private String broadcastOperand(Operator op) throws ConversionException {
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

    private String activation(String v, FusedActivation a, String name) {
        switch (a.getType()) {
            case ACTIVATION_RELU: return g.node("Relu", new String[] {v}, name + "/relu");
            case ACTIVATION_RELU6: return clip(v, 0f, 6f, name + "/relu6");
            case ACTIVATION_CLIP: return clip(v, a.getMin(), a.getMax(), name + "/clip");
            default: return v;
        }
    }

    private String clip(String v, float min, float max, String name) {
        String lo = g.floats(name + "/min", new float[] {min});
        String hi = g.floats(name + "/max", new float[] {max});
        return g.node("Clip", new String[] {v, lo, hi}, name);
    }

    private String softmax(Operator op, String name) throws ConversionException {
        TensorInfo x = model.tensor(op.getInputs(0));
        String in = floatInput(op, 0);
        float beta = op.hasSoftmax() && op.getSoftmax().getBeta() != 0f ? op.getSoftmax().getBeta() : 1f;
        if (beta != 1f) {
            in = g.node("Mul", new String[] {in, g.floats(name + "/beta", new float[] {beta})}, name + "/scaled");
        }
        // edgeq's softmax runs over the last (channel) axis: axis 1 of an NCHW value
        return g.node("Softmax", new String[] {in}, name, integer("axis", x.rank() == 4 ? 1 : -1));
    }

    private String pad(Operator op, String name) throws ConversionException {
        TensorInfo x = model.tensor(op.getInputs(0));
        if (x.rank() != 4) {
            throw new ConversionException("export to ONNX: PAD '" + op.getName() + "' on " + x.describe() + ": only rank 4 is exported");
        }
        Padding p = op.getPad().getPadding();
        String pads = g.int64s(name + "/pads", new long[] {0, 0, p.getTop(), p.getLeft(), 0, 0, p.getBottom(), p.getRight()}, 8);
        String constant = g.floats(name + "/value", new float[] {op.getPad().getValue()});
        return g.node("Pad", new String[] {floatInput(op, 0), pads, constant}, name, modeConstant());
    }

    private static dev.edgeq.onnx.AttributeProto modeConstant() {
        return dev.edgeq.onnx.AttributeProto.newBuilder().setName("mode")
                .setType(dev.edgeq.onnx.AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8("constant")).build();
    }

    /**
     * Reshapes a value keeping edgeq's (NHWC) element order: a rank-4 input goes back to NHWC
     * first; a rank-4 target is reshaped as NHWC and then transposed to NCHW. {@code y} null:
     * flatten to [1, n].
     */
    private String reshape(String v, TensorInfo x, TensorInfo y, String name) {
        String in = x.rank() == 4 ? g.node("Transpose", new String[] {v}, name + "/nhwc", ints("perm", TO_NHWC)) : v;
        long[] target = y == null ? new long[] {1, x.elementCount()} : dims(y.shape());
        String out = g.node("Reshape", new String[] {in, g.int64s(name + "/shape", target, target.length)}, name);
        if (y != null && y.rank() == 4) {
            out = g.node("Transpose", new String[] {out}, name + "/nchw", ints("perm", TO_NCHW));
        }
        return out;
    }

    /** A tensor's shape as ONNX sees it (rank 4: NCHW). */
    private static long[] onnxShape(TensorInfo t) {
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

    private static int positive(int v) {
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
