package dev.edgeq.converter.ops;

import static dev.edgeq.converter.ops.Lowering.out;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.export.OnnxExporter;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.converter.onnx.OnnxConstant;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.Shapes;
import dev.edgeq.converter.onnx.Unsupported;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.int8.PReluParams;
import java.util.Arrays;
import java.util.List;

/** ONNX PRelu with a constant slope: one value, or one per channel ([C], [C,1,1], [1,C,1,1]). */
final class PReluSpec extends OneToOneSpec {
    static final PReluSpec INSTANCE = new PReluSpec();

    private PReluSpec() {
        super("PRelu", OpType.PRELU);
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        Value x = ctx.activation(n, 0);
        OnnxConstant k = ctx.constant(n, 1, "slope");
        int[] xs = x.onnxShape();
        int channels = xs[1];
        float[] src = k.toFloats();
        float[] slope;
        if (src.length == 1) {
            slope = new float[channels];
            Arrays.fill(slope, src[0]);
        } else if (src.length == channels && (xs.length == 2 || Shapes.product(k.dims()) == channels
                && (k.rank() == 1 || k.dims()[k.rank() - 1] == 1))) {
            slope = src;
        } else {
            throw new Unsupported("slope of shape " + Shapes.str(k.dims()) + " for input " + Shapes.str(xs)
                    + " (edgeq takes one slope or one per channel)");
        }
        if (x.chwOrigin() != null && src.length != 1) {
            throw new Unsupported("per-channel slope on a flattened C x H x W tensor");
        }
        Value kv = Value.constant(ctx.freshName(n.input(1)), new int[] {channels}, slope);
        Value y = out(ctx, n, xs, x.chwOrigin());
        ctx.emit(new Node(n.name(), OpType.PRELU, null, List.of(x, kv), y));
    }

    /** int8 with its calibrated output range; the float slope is quantized by the runtime's prepare (TFLite's Prelu). */
    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) {
        return Int8Rule.requantizes();
    }

    @Override
    public void export(OnnxExporter ex, Operator op, String name) throws ConversionException {
        TensorInfo x = ex.model().tensor(op.getInputs(0));
        TensorInfo k = ex.model().tensor(op.getInputs(1));
        int c = k.elementCount();
        // an int8 PRelu applies its slope quantized to int8: export what it applies
        float[] values = x.type() == dev.edgeq.format.DataType.INT8 ? PReluParams.effectiveFloatSlope(k.floatData()) : k.floatData();
        String slope = x.rank() == 4 ? ex.graph().floats(k.name(), values, c, 1, 1) : ex.graph().floats(k.name(), values, c);
        ex.result(op, 0, ex.graph().node("PRelu", new String[] {ex.floatInput(op, 0), slope}, name), name);
    }
}
