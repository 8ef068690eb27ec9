package dev.edgeq.converter.ops;

import static dev.edgeq.converter.ops.Lowering.unary;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.export.OnnxExporter;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.Unsupported;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;

/**
 * An element-wise operator without options: one ONNX op of one input, one edgeq op, exported as
 * the same ONNX op. A new one is a line in {@link OpSpecs} stating its int8 rule.
 */
final class ElementwiseSpec extends OneToOneSpec {
    private final Int8Rule rule;

    ElementwiseSpec(String onnxType, OpType type, Int8Rule rule) {
        super(onnxType, type);
        this.rule = rule;
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported {
        unary(ctx, n, type, null);
    }

    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) {
        return rule;
    }

    @Override
    public void export(OnnxExporter ex, Operator op, String name) throws ConversionException {
        ex.result(op, 0, ex.graph().node(onnxType, new String[] {ex.floatInput(op, 0)}, name), name);
    }
}
