package dev.edgeq.converter.ops;

import static dev.edgeq.converter.ops.Lowering.out;
import static dev.edgeq.converter.ops.Lowering.spatial;

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
import java.util.Arrays;
import java.util.List;

/** ONNX ReduceMean over H and W (axes {2, 3} or {-2, -1}) of an image, keepdims 1 ([1,C,1,1]) or 0 ([1,C]), as MEAN. */
final class MeanSpec extends OneToOneSpec {
    static final MeanSpec INSTANCE = new MeanSpec();

    private MeanSpec() {
        super("ReduceMean", OpType.MEAN);
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        Value x = spatial(ctx, n);
        int[] axes = n.ints("axes"); // an attribute up to opset 17
        if (axes == null && n.hasInput(1)) {
            OnnxConstant a = ctx.constant(n, 1, "axes");
            axes = Arrays.stream(a.toLongs()).mapToInt(v -> (int) v).toArray();
        }
        int[] sorted = axes == null ? null : Arrays.stream(axes).map(v -> v < 0 ? v + 4 : v).sorted().toArray();
        if (sorted == null || !Arrays.equals(sorted, new int[] {2, 3})) {
            throw new Unsupported("axes=" + (axes == null ? "all" : Shapes.str(axes)) + " (only the spatial axes 2, 3)");
        }
        int c = x.onnxShape()[1];
        int[] ys = n.i("keepdims", 1) != 0 ? new int[] {1, c, 1, 1} : new int[] {1, c};
        Value y = out(ctx, n, ys, null);
        ctx.emit(new Node(n.name(), OpType.MEAN, null, List.of(x), y));
    }

    /** int8 with its calibrated output range (TFLite's Mean may rescale; a mean's range is narrower than its input's). */
    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) {
        return Int8Rule.requantizes();
    }

    /** Sees the whole plane, as global average pooling. */
    @Override
    public Window window(Operator op, dev.edgeq.runtime.Model model) {
        return Window.WHOLE;
    }

    @Override
    public void export(OnnxExporter ex, Operator op, String name) throws ConversionException {
        TensorInfo y = ex.model().tensor(op.getOutputs(0));
        ex.result(op, 0, ex.graph().node("ReduceMean", new String[] {ex.floatInput(op, 0)}, name,
                dev.edgeq.converter.export.OnnxGraphWriter.ints("axes", 2, 3),
                dev.edgeq.converter.export.OnnxGraphWriter.integer("keepdims", y.rank() == 4 ? 1 : 0)), name);
    }
}
