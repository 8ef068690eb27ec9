package dev.edgeq.converter.ops;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.export.OnnxExporter;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import java.util.List;

/**
 * What the converter knows of an edgeq operator once it is in a model: its int8 rule (how the
 * quantizer treats it) and its ONNX QDQ export. MACs, validation and kernels are the runtime's
 * ({@code dev.edgeq.runtime.ops.OpRegistration}).
 */
public interface EdgeqOpSpec {

    /** The edgeq op types this spec states the int8 rule and export of. */
    List<OpType> edgeqTypes();

    /**
     * The int8 rule of one operator of a float model, stated by every operator (never defaulted):
     * int8 with which output quantization, or float (then the quantizer puts it in a float island).
     */
    Int8Rule int8Rule(Operator op, Int8Facts facts) throws ConversionException;

    /**
     * Writes the operator as ONNX nodes: read inputs with {@code exporter.floatInput(op, k)} (int8
     * ones dequantized), end with {@code exporter.result(op, k, floatValue, name)} for each output
     * (quantized when the output is int8).
     */
    void export(OnnxExporter exporter, Operator op, String name) throws ConversionException;

    /**
     * The operator's window for receptive-field arithmetic in {@code inspect}: element-wise
     * operators see one position of their input ({@link Window#POINT}).
     */
    default Window window(Operator op, dev.edgeq.runtime.Model model) {
        return Window.POINT;
    }
}
