package dev.edgeq.converter.ops;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.ShapeFolding;
import dev.edgeq.converter.onnx.Unsupported;
import java.util.List;

/**
 * Shape arithmetic evaluated at conversion time when its inputs are shapes or constants
 * (PyTorch's {@code x.view(x.size(0), -1)}). On run-time data, Concat is a CONCATENATION
 * ({@link ConcatSpec}) and Squeeze / Unsqueeze a RESHAPE ({@link ReshapeSpec}); the others are
 * unsupported there.
 */
final class ShapeFoldingSpec implements OnnxOpSpec {
    static final ShapeFoldingSpec INSTANCE = new ShapeFoldingSpec();

    private ShapeFoldingSpec() {}

    @Override
    public List<String> onnxTypes() {
        return List.of("Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast");
    }

    @Override
    public void lower(OnnxImporter importer, OnnxNode node) throws Unsupported, ConversionException {
        OnnxOpSpec runtime = runtimeForm(node.opType());
        if (runtime != null && readsRuntimeData(importer, node)) {
            runtime.lower(importer, node);
        } else {
            ShapeFolding.fold(importer, node);
        }
    }

    /** The lowering of the op type on run-time tensors, or null when it has none. */
    private static OnnxOpSpec runtimeForm(String onnxType) {
        return switch (onnxType) {
            case "Concat" -> ConcatSpec.INSTANCE;
            case "Squeeze", "Unsqueeze" -> ReshapeSpec.INSTANCE;
            default -> null;
        };
    }

    private static boolean readsRuntimeData(OnnxImporter importer, OnnxNode node) {
        for (int i = 0; i < node.inputCount(); i++) {
            if (node.hasInput(i) && importer.activationShape(node.input(i)) != null) {
                return true;
            }
        }
        return false;
    }
}
