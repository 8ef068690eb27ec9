package dev.edgeq.converter.ops;

import static dev.edgeq.converter.export.OnnxGraphWriter.integer;
import static dev.edgeq.converter.ops.Lowering.out;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.export.OnnxExporter;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.Shapes;
import dev.edgeq.converter.onnx.Unsupported;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX Concat of computed tensors along the channel axis (axis 1 of [1,C,H,W] or of [1,N]) as
 * CONCATENATION. Concat of shapes is folded instead: {@link ShapeFoldingSpec} owns the ONNX type and
 * hands run-time Concats here.
 */
final class ConcatSpec implements OnnxOpSpec, EdgeqOpSpec {
    static final ConcatSpec INSTANCE = new ConcatSpec();

    private ConcatSpec() {}

    @Override
    public List<String> onnxTypes() {
        return List.of();
    }

    @Override
    public List<OpType> edgeqTypes() {
        return List.of(OpType.CONCATENATION);
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        List<Value> inputs = new ArrayList<>();
        for (int i = 0; i < n.inputCount(); i++) {
            inputs.add(ctx.activation(n, i));
        }
        int[] first = inputs.get(0).onnxShape();
        int rank = first.length;
        long axis = n.i("axis", 1);
        if (axis < 0) {
            axis += rank;
        }
        if (axis != 1) {
            throw new Unsupported("axis=" + n.i("axis", 1) + " on " + Shapes.str(first) + " (only the channel axis 1)");
        }
        int channels = 0;
        for (Value v : inputs) {
            int[] s = v.onnxShape();
            if (s.length != rank || v.chwOrigin() != null) {
                throw new Unsupported("joins " + Shapes.str(first) + " and " + Shapes.str(s)
                        + (v.chwOrigin() != null ? " (a flattened C x H x W tensor)" : ""));
            }
            for (int d = 0; d < rank; d++) {
                if (d != 1 && s[d] != first[d]) {
                    throw ctx.shapeError(n, "inputs " + Shapes.str(first) + " and " + Shapes.str(s) + " differ off the channel axis");
                }
            }
            channels += s[1];
        }
        int[] ys = first.clone();
        ys[1] = channels;
        Value y = out(ctx, n, ys, null);
        ctx.emit(new Node(n.name(), OpType.CONCATENATION, null, inputs, y));
    }

    /**
     * int8 with one range for the output and its inputs, as TFLite and PyTorch FX (the quantizer's
     * SharedRanges says which). Each input keeping its own range (requantized by the kernel) cost
     * DenseNet, where every layer's features pass through every later concatenation of its block,
     * a clipping and a rounding at each of them: 6.63 dB logit SQNR against 7.64 dB shared (CI
     * size; PyTorch FX 7.53). An input whose parameters are fixed (the model input, a logistic) is
     * still requantized.
     */
    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) {
        return Int8Rule.sharesOneRange();
    }

    @Override
    public void export(OnnxExporter ex, Operator op, String name) throws ConversionException {
        String[] in = new String[op.getInputsCount()];
        for (int k = 0; k < in.length; k++) {
            in[k] = ex.floatInput(op, k);
        }
        ex.result(op, 0, ex.graph().node("Concat", in, name, integer("axis", 1)), name);
    }
}
