package dev.edgeq.converter.ops;

import dev.edgeq.format.OpType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The converter's operators: ONNX op type to its lowering, edgeq op type to its int8 rule and
 * export. One entry per spec; the tables below are derived from what each spec declares, and a
 * type claimed twice is a startup error.
 */
public final class OpSpecs {
    /** Every spec, in the order "edgeq supports: ..." lists their ONNX types. */
    private static final List<Object> SPECS = List.of(
            ConvSpec.INSTANCE,
            PoolSpec.INSTANCE,
            GlobalPoolSpec.INSTANCE,
            DenseSpec.INSTANCE,
            ArithmeticSpec.ADD,
            ArithmeticSpec.MUL,
            ArithmeticSpec.SUB,
            DivSpec.INSTANCE,
            new ElementwiseSpec("Relu", OpType.RELU, Int8Rule.runsInFloat("an unfused RELU has no int8 kernel")),
            ActivationSpec.CLIP,
            ActivationSpec.LEAKY_RELU,
            // TFLite's quantization spec: Logistic output (1/256, -128), Tanh (1/128, 0)
            new ElementwiseSpec("Sigmoid", OpType.SIGMOID, Int8Rule.fixedOutput(1f / 256, -128)),
            new ElementwiseSpec("Tanh", OpType.TANH, Int8Rule.fixedOutput(1f / 128, 0)),
            TableActivationSpec.HARD_SIGMOID,
            TableActivationSpec.HARD_SWISH,
            TableActivationSpec.SILU,
            PReluSpec.INSTANCE,
            MeanSpec.INSTANCE,
            ConcatSpec.INSTANCE,
            ChannelSliceSpec.INSTANCE,
            ChannelShuffleSpec.INSTANCE,
            ReshapeSpec.INSTANCE,
            SoftmaxSpec.INSTANCE,
            BatchNormSpec.INSTANCE,
            PadSpec.INSTANCE,
            LrnSpec.INSTANCE,
            ConstantSpec.INSTANCE,
            ShapeFoldingSpec.INSTANCE,
            QuantizeSpec.INSTANCE);

    private static final Map<String, OnnxOpSpec> ONNX = new LinkedHashMap<>();
    private static final Map<OpType, EdgeqOpSpec> EDGEQ = new EnumMap<>(OpType.class);

    static {
        for (Object spec : SPECS) {
            if (spec instanceof OnnxOpSpec o) {
                for (String t : o.onnxTypes()) {
                    if (ONNX.put(t, o) != null) {
                        throw new IllegalStateException("ONNX op type " + t + " is lowered by two specs");
                    }
                }
            }
            if (spec instanceof EdgeqOpSpec e) {
                for (OpType t : e.edgeqTypes()) {
                    if (EDGEQ.put(t, e) != null) {
                        throw new IllegalStateException("edgeq op type " + t + " has two specs");
                    }
                }
            }
        }
    }

    private OpSpecs() {}

    /** The lowering of an ONNX op type, or null when edgeq does not import it. */
    public static OnnxOpSpec onnx(String onnxType) {
        return ONNX.get(onnxType);
    }

    /** The int8 rule and export of an edgeq op type, or null when the converter has none. */
    public static EdgeqOpSpec edgeq(OpType type) {
        return EDGEQ.get(type);
    }

    /** ONNX op types imported as operators (shape arithmetic folded at conversion time excluded). */
    public static List<String> importedOnnxTypes() {
        List<String> types = new ArrayList<>();
        for (Map.Entry<String, OnnxOpSpec> e : ONNX.entrySet()) {
            if (e.getValue() != ShapeFoldingSpec.INSTANCE) {
                types.add(e.getKey());
            }
        }
        return Collections.unmodifiableList(types);
    }

    /** ONNX op types evaluated at conversion time when their inputs are shapes or constants. */
    public static List<String> foldedOnnxTypes() {
        return ShapeFoldingSpec.INSTANCE.onnxTypes();
    }
}
