package dev.edgeq.converter.ops;

import static dev.edgeq.converter.export.OnnxGraphWriter.real;
import static dev.edgeq.converter.ops.Lowering.unary;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.export.OnnxExporter;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.Unsupported;
import dev.edgeq.format.HardSigmoidOptions;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import java.util.List;

/**
 * The activations int8 runs from a 256-entry table: Sigmoid, Tanh, HardSigmoid, HardSwish (ONNX
 * opset 14, or {@code x * HardSigmoid(x)} fused by {@code FuseSwish}) and SiLU ({@code x *
 * Sigmoid(x)}, fused likewise; ONNX has no SiLU operator at opset 13).
 */
final class TableActivationSpec implements OnnxOpSpec, EdgeqOpSpec {
    static final TableActivationSpec SIGMOID = new TableActivationSpec("Sigmoid", OpType.SIGMOID);
    static final TableActivationSpec TANH = new TableActivationSpec("Tanh", OpType.TANH);
    static final TableActivationSpec HARD_SIGMOID = new TableActivationSpec("HardSigmoid", OpType.HARD_SIGMOID);
    static final TableActivationSpec HARD_SWISH = new TableActivationSpec("HardSwish", OpType.HARD_SWISH);
    /** No ONNX op of its own: only made by fusion. */
    static final TableActivationSpec SILU = new TableActivationSpec(null, OpType.SILU);

    private final String onnxType;
    private final OpType type;

    private TableActivationSpec(String onnxType, OpType type) {
        this.onnxType = onnxType;
        this.type = type;
    }

    @Override
    public List<String> onnxTypes() {
        return onnxType == null ? List.of() : List.of(onnxType);
    }

    @Override
    public List<OpType> edgeqTypes() {
        return List.of(type);
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        HardSigmoidOptions options = type == OpType.HARD_SIGMOID
                ? HardSigmoidOptions.newBuilder().setAlpha(n.f("alpha", 0.2f)).setBeta(n.f("beta", 0.5f)).build()
                : null;
        unary(ctx, n, type, options);
    }

    /**
     * TFLite's quantization spec where it has one: Logistic output (1/256, -128), Tanh (1/128, 0);
     * HardSigmoid's output is in [0, 1] too, so it takes Logistic's. HardSwish and SiLU: their
     * calibrated range.
     */
    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) {
        switch (type) {
            case SIGMOID:
            case HARD_SIGMOID:
                return Int8Rule.fixedOutput(1f / 256, -128);
            case TANH:
                return Int8Rule.fixedOutput(1f / 128, 0);
            default:
                return Int8Rule.requantizes();
        }
    }

    /** Opset 13 has no HardSwish: written as x * HardSigmoid(x), SiLU as x * Sigmoid(x). */
    @Override
    public void export(OnnxExporter ex, Operator op, String name) throws ConversionException {
        String x = ex.floatInput(op, 0);
        String v = switch (type) {
            case HARD_SIGMOID -> ex.graph().node("HardSigmoid", new String[] {x}, name,
                    real("alpha", op.getHardSigmoid().getAlpha()), real("beta", op.getHardSigmoid().getBeta()));
            case HARD_SWISH -> ex.graph().node("Mul", new String[] {x, ex.graph().node("HardSigmoid", new String[] {x},
                    name + "/gate", real("alpha", 1f / 6f), real("beta", 0.5f))}, name);
            case SILU -> ex.graph().node("Mul", new String[] {x, ex.graph().node("Sigmoid", new String[] {x}, name + "/gate")}, name);
            default -> ex.graph().node(onnxType, new String[] {x}, name);
        };
        ex.result(op, 0, v, name);
    }
}
