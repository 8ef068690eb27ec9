package dev.edgeq.converter.ops;

import static dev.edgeq.converter.export.OnnxGraphWriter.integer;
import static dev.edgeq.converter.export.OnnxGraphWriter.real;
import static dev.edgeq.converter.ops.Lowering.spatial;
import static dev.edgeq.converter.ops.Lowering.unary;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.export.OnnxExporter;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.Unsupported;
import dev.edgeq.format.LrnOptions;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;

/** ONNX LRN across channels (AlexNet); float only. */
final class LrnSpec extends OneToOneSpec {
    static final LrnSpec INSTANCE = new LrnSpec();

    private LrnSpec() {
        super("LRN", OpType.LRN);
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported {
        spatial(ctx, n);
        if (!n.has("size")) {
            throw new Unsupported("has no size attribute");
        }
        unary(ctx, n, OpType.LRN, LrnOptions.newBuilder().setSize((int) n.i("size", 1))
                .setAlpha(n.f("alpha", 1e-4f)).setBeta(n.f("beta", 0.75f)).setBias(n.f("bias", 1f)).build());
    }

    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) {
        return Int8Rule.runsInFloat("LRN has no int8 kernel");
    }

    @Override
    public void export(OnnxExporter ex, Operator op, String name) throws ConversionException {
        LrnOptions o = op.getLrn();
        ex.result(op, 0, ex.graph().node("LRN", new String[] {ex.floatInput(op, 0)}, name, integer("size", o.getSize()),
                real("alpha", o.getAlpha()), real("beta", o.getBeta()), real("bias", o.getBias())), name);
    }
}
