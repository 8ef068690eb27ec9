package dev.edgeq.converter.ops;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.ShapeFolding;
import dev.edgeq.converter.onnx.Unsupported;
import java.util.List;

/**
 * Shape arithmetic evaluated at conversion time when its inputs are shapes or constants
 * (PyTorch's {@code x.view(x.size(0), -1)}); on run-time data these are unsupported.
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
        ShapeFolding.fold(importer, node);
    }
}
