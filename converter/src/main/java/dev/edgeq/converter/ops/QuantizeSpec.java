package dev.edgeq.converter.ops;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.export.OnnxExporter;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import java.util.List;

/** QUANTIZE and DEQUANTIZE: added by the quantizer at the edges of float islands, never imported. */
final class QuantizeSpec implements EdgeqOpSpec {
    static final QuantizeSpec INSTANCE = new QuantizeSpec();

    private QuantizeSpec() {}

    @Override
    public List<OpType> edgeqTypes() {
        return List.of(OpType.QUANTIZE, OpType.DEQUANTIZE);
    }

    /** A float model has none; quantizing an already quantized model is refused. */
    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) throws ConversionException {
        throw new ConversionException("operator '" + op.getName() + "' (" + op.getType()
                + ") is already a quantization step: quantize the float model");
    }

    /** QUANTIZE: its float input, quantized by {@code result}; DEQUANTIZE: the int8 input as float. */
    @Override
    public void export(OnnxExporter ex, Operator op, String name) {
        if (op.getType() == OpType.QUANTIZE) {
            ex.result(op, 0, ex.value(op.getInputs(0)), name);
        } else {
            ex.resultAsIs(op, 0, ex.dequantize(op.getInputs(0)));
        }
    }
}
