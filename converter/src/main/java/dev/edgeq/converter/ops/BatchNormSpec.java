package dev.edgeq.converter.ops;

import static dev.edgeq.converter.ops.Lowering.out;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.converter.onnx.OnnxConstant;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.Shapes;
import dev.edgeq.converter.onnx.Unsupported;
import dev.edgeq.format.OpType;
import java.util.List;

/**
 * ONNX BatchNormalization (inference) as MUL then ADD by per-channel constants; FoldAffineIntoConv
 * folds both into the convolution before it when there is one. Lowering only: MUL and ADD have
 * their own specs.
 */
final class BatchNormSpec implements OnnxOpSpec {
    static final BatchNormSpec INSTANCE = new BatchNormSpec();

    private BatchNormSpec() {}

    @Override
    public List<String> onnxTypes() {
        return List.of("BatchNormalization");
    }

    @Override
    public String attributeProblem(OnnxNode n) {
        return n.i("training_mode", 0) != 0 ? "training_mode=1 (only inference)" : null;
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        Value x = ctx.activation(n, 0);
        if (n.i("training_mode", 0) != 0) {
            throw new Unsupported("training_mode=1 (only inference)");
        }
        for (int i = 1; i < n.outputs().size(); i++) {
            if (!n.output(i).isEmpty()) {
                throw new Unsupported("has training outputs (running mean/var)");
            }
        }
        int[] xs = x.onnxShape();
        if (x.chwOrigin() != null) {
            throw new Unsupported("normalizes a flattened tensor per element");
        }
        int c = xs[1];
        OnnxConstant scale = ctx.constant(n, 1, "scale");
        OnnxConstant bias = ctx.constant(n, 2, "B");
        OnnxConstant mean = ctx.constant(n, 3, "mean");
        OnnxConstant var = ctx.constant(n, 4, "var");
        for (OnnxConstant p : List.of(scale, bias, mean, var)) {
            if (p.size() != c) {
                throw ctx.shapeError(n, "parameter " + p + " has " + p.size() + " values for " + c + " channels");
            }
        }
        double eps = n.f("epsilon", 1e-5f);
        float[] mul = new float[c];
        float[] shift = new float[c];
        for (int i = 0; i < c; i++) {
            double s = scale.get(i) / Math.sqrt(var.get(i) + eps);
            mul[i] = (float) s;
            shift[i] = (float) (bias.get(i) - mean.get(i) * s);
        }
        // y = x * s + (B - mean * s): MUL then ADD; FoldAffineIntoConv folds both into a conv before it.
        Value mv = Value.constant(ctx.freshName(n.name() + ".bn_scale"), new int[] {c}, mul);
        Value av = Value.constant(ctx.freshName(n.name() + ".bn_shift"), new int[] {c}, shift);
        Value mid = Value.activation(ctx.freshName(n.output(0) + "/scaled"), Shapes.nhwc(xs), xs, null);
        ctx.emit(new Node(n.name() + "/mul", OpType.MUL, null, List.of(x, mv), mid));
        Value y = out(ctx, n, xs, null);
        ctx.emit(new Node(n.name(), OpType.ADD, null, List.of(mid, av), y));
    }
}
