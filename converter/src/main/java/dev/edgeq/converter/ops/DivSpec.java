package dev.edgeq.converter.ops;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.Unsupported;
import java.util.List;

/**
 * ONNX Div, which has no edgeq op of its own: a computed tensor divided by a constant is a MUL by
 * its reciprocal, two constants are folded (ShuffleNetV2's channel split computes (C + 1) / 2).
 */
final class DivSpec implements OnnxOpSpec {
    static final DivSpec INSTANCE = new DivSpec();

    private DivSpec() {}

    @Override
    public List<String> onnxTypes() {
        return List.of("Div");
    }

    @Override
    public void lower(OnnxImporter importer, OnnxNode node) throws Unsupported, ConversionException {
        ArithmeticSpec.MUL.lowerDiv(importer, node);
    }
}
