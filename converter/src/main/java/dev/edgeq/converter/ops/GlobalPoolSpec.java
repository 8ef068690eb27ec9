package dev.edgeq.converter.ops;

import static dev.edgeq.converter.ops.Lowering.out;
import static dev.edgeq.converter.ops.Lowering.spatial;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.export.OnnxExporter;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.Unsupported;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.runtime.Model;
import java.util.List;

/** ONNX GlobalAveragePool / GlobalMaxPool: [1,H,W,C] to [1,1,1,C]. */
final class GlobalPoolSpec implements OnnxOpSpec, EdgeqOpSpec {
    static final GlobalPoolSpec INSTANCE = new GlobalPoolSpec();

    private GlobalPoolSpec() {}

    @Override
    public List<String> onnxTypes() {
        return List.of("GlobalAveragePool", "GlobalMaxPool");
    }

    @Override
    public List<OpType> edgeqTypes() {
        return List.of(OpType.GLOBAL_AVERAGE_POOL, OpType.GLOBAL_MAX_POOL);
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported {
        Value x = spatial(ctx, n);
        Value y = out(ctx, n, new int[] {1, x.onnxShape()[1], 1, 1}, null);
        ctx.emit(new Node(n.name(), n.opType().equals("GlobalMaxPool") ? OpType.GLOBAL_MAX_POOL
                : OpType.GLOBAL_AVERAGE_POOL, null, List.of(x), y));
    }

    /** The int8 kernels average or compare without requantizing. */
    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) {
        return Int8Rule.keepsInputQuantization();
    }

    @Override
    public void export(OnnxExporter ex, Operator op, String name) throws ConversionException {
        String type = op.getType() == OpType.GLOBAL_MAX_POOL ? "GlobalMaxPool" : "GlobalAveragePool";
        ex.result(op, 0, ex.graph().node(type, new String[] {ex.floatInput(op, 0)}, name), name);
    }

    @Override
    public Window window(Operator op, Model model) {
        return Window.WHOLE;
    }
}
