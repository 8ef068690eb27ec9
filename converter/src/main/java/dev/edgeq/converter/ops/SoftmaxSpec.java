package dev.edgeq.converter.ops;

import static dev.edgeq.converter.export.OnnxGraphWriter.integer;
import static dev.edgeq.converter.ops.Lowering.unary;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.export.OnnxExporter;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.Shapes;
import dev.edgeq.converter.onnx.Unsupported;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.format.SoftmaxOptions;
import dev.edgeq.runtime.TensorInfo;

/** ONNX Softmax over the channels ([1,N], or [1,C,1,1]) as SOFTMAX over the last NHWC axis; float. */
final class SoftmaxSpec extends OneToOneSpec {
    static final SoftmaxSpec INSTANCE = new SoftmaxSpec();

    private SoftmaxSpec() {
        super("Softmax", OpType.SOFTMAX);
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported {
        Value x = ctx.activation(n, 0);
        int[] xs = x.onnxShape();
        int rank = xs.length;
        int axis = (int) n.i("axis", ctx.opset() >= 13 ? -1 : 1);
        if (axis < 0) {
            axis += rank;
        }
        // edgeq's SOFTMAX runs over the last NHWC axis (channels). That is ONNX's meaning when the
        // ONNX axis covers exactly the channels: [1,N] with axis 1, or an image with H = W = 1.
        boolean ok;
        if (rank == 2) {
            ok = axis == 1;
        } else {
            boolean pointwise = xs[2] == 1 && xs[3] == 1;
            ok = pointwise && (axis == 1 || (ctx.opset() < 13 && axis >= 1));
        }
        if (!ok) {
            throw new Unsupported("axis=" + n.i("axis", ctx.opset() >= 13 ? -1 : 1) + " on shape " + Shapes.str(xs)
                    + " (only over the channels of [1,N] or [1,C,1,1])");
        }
        unary(ctx, n, OpType.SOFTMAX, SoftmaxOptions.newBuilder().setBeta(1f).build());
    }

    /** Scores at the very end stay float (DESIGN: softmax only dequantized). */
    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) {
        return Int8Rule.runsInFloat("softmax runs on dequantized logits");
    }

    @Override
    public void export(OnnxExporter ex, Operator op, String name) throws ConversionException {
        TensorInfo x = ex.model().tensor(op.getInputs(0));
        String in = ex.floatInput(op, 0);
        float beta = op.hasSoftmax() && op.getSoftmax().getBeta() != 0f ? op.getSoftmax().getBeta() : 1f;
        if (beta != 1f) {
            in = ex.graph().node("Mul", new String[] {in, ex.graph().floats(name + "/beta", new float[] {beta})}, name + "/scaled");
        }
        // edgeq's softmax runs over the last (channel) axis: axis 1 of an NCHW value
        ex.result(op, 0, ex.graph().node("Softmax", new String[] {in}, name, integer("axis", x.rank() == 4 ? 1 : -1)), name);
    }
}
