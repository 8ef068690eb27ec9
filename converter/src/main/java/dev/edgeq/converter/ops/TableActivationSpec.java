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
 * The table activations that do not fit {@link ElementwiseSpec} (Sigmoid and Tanh do: one line in
 * {@link OpSpecs}): HardSigmoid has options (alpha, beta); HardSwish (ONNX opset 14, or {@code x *
 * HardSigmoid(x)} fused by {@code FuseSwish}) and SiLU ({@code x * Sigmoid(x)}, fused likewise;
 * ONNX has no SiLU operator) are exported as those products, since opset 13 has neither operator.
 */
final class TableActivationSpec implements OnnxOpSpec, EdgeqOpSpec {
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
     * HardSigmoid's output is in [0, 1] as a logistic's, so it takes TFLite's Logistic output
     * quantization (1/256, -128); HardSwish and SiLU their calibrated range.
     */
    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) {
        return type == OpType.HARD_SIGMOID ? Int8Rule.fixedOutput(1f / 256, -128) : Int8Rule.requantizes();
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
            default -> /* SILU */ ex.graph().node("Mul", new String[] {x, ex.graph().node("Sigmoid", new String[] {x}, name + "/gate")}, name);
        };
        ex.result(op, 0, v, name);
    }
}
