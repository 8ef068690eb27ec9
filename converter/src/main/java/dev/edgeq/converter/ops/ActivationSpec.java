package dev.edgeq.converter.ops;

import static dev.edgeq.converter.export.OnnxGraphWriter.real;
import static dev.edgeq.converter.ops.Lowering.scalar;
import static dev.edgeq.converter.ops.Lowering.unary;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.export.OnnxExporter;
import dev.edgeq.converter.onnx.OnnxConstant;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.Unsupported;
import dev.edgeq.format.ClipOptions;
import dev.edgeq.format.LeakyReluOptions;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;

/**
 * Standalone Clip and LeakyRelu (activations with options the converter could not fuse into the
 * operator before them). No int8 kernels: they run in float islands (Sigmoid and the other table
 * activations: {@link TableActivationSpec}).
 */
final class ActivationSpec extends OneToOneSpec {
    static final ActivationSpec CLIP = new ActivationSpec("Clip", OpType.CLIP);
    static final ActivationSpec LEAKY_RELU = new ActivationSpec("LeakyRelu", OpType.LEAKY_RELU);

    private ActivationSpec(String onnxType, OpType type) {
        super(onnxType, type);
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        if (type == OpType.CLIP) {
            clip(ctx, n);
        } else {
            unary(ctx, n, type, LeakyReluOptions.newBuilder().setAlpha(n.f("alpha", 0.01f)).build());
        }
    }

    private static void clip(OnnxImporter ctx, OnnxNode n) throws Unsupported {
        float min = Float.NEGATIVE_INFINITY;
        float max = Float.POSITIVE_INFINITY;
        if (ctx.opset() < 11) {
            min = n.f("min", min);
            max = n.f("max", max);
        } else {
            OnnxConstant lo = ctx.constantOrNull(n, 1, "min");
            OnnxConstant hi = ctx.constantOrNull(n, 2, "max");
            if (lo != null) {
                min = scalar(lo, "min");
            }
            if (hi != null) {
                max = scalar(hi, "max");
            }
        }
        unary(ctx, n, OpType.CLIP, ClipOptions.newBuilder().setMin(min).setMax(max).build());
    }

    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) {
        return Int8Rule.runsInFloat(type + " has no int8 kernel");
    }

    @Override
    public void export(OnnxExporter ex, Operator op, String name) throws ConversionException {
        String x = ex.floatInput(op, 0);
        String v = type == OpType.CLIP ? ex.clip(x, op.getClip().getMin(), op.getClip().getMax(), name)
                : ex.graph().node(onnxType, new String[] {x}, name, real("alpha", op.getLeakyRelu().getAlpha()));
        ex.result(op, 0, v, name);
    }
}
