package dev.edgeq.converter.ops;

import static dev.edgeq.converter.export.OnnxGraphWriter.ints;
import static dev.edgeq.converter.ops.Lowering.out;
import static dev.edgeq.converter.ops.Lowering.padding;
import static dev.edgeq.converter.ops.Lowering.scalar;
import static dev.edgeq.converter.ops.Lowering.spatial;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.export.OnnxExporter;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.converter.onnx.OnnxConstant;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.Unsupported;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.format.PadOptions;
import dev.edgeq.format.Padding;
import dev.edgeq.runtime.TensorInfo;
import java.util.Arrays;
import java.util.List;

/** ONNX Pad (constant, H and W only) as PAD; usually fused into the next conv or pool by FusePadding. Float. */
final class PadSpec extends OneToOneSpec {
    static final PadSpec INSTANCE = new PadSpec();

    private PadSpec() {
        super("Pad", OpType.PAD);
    }

    @Override
    public String attributeProblem(OnnxNode n) {
        String mode = n.s("mode", "constant");
        return mode.equals("constant") ? null : "mode=" + mode + " (only constant)";
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        Value x = spatial(ctx, n);
        String mode = n.s("mode", "constant");
        if (!mode.equals("constant")) {
            throw new Unsupported("mode=" + mode + " (only constant)");
        }
        long[] pads;
        float value = 0f;
        if (ctx.opset() < 11) {
            int[] p = n.ints("pads");
            if (p == null) {
                throw new Unsupported("has no pads");
            }
            pads = Arrays.stream(p).asLongStream().toArray();
            value = n.f("value", 0f);
        } else {
            pads = ctx.constant(n, 1, "pads").toLongs();
            OnnxConstant v = ctx.constantOrNull(n, 2, "constant_value");
            if (v != null) {
                value = scalar(v, "constant_value");
            }
            if (n.hasInput(3)) {
                throw new Unsupported("has an axes input (not supported)");
            }
        }
        if (pads.length != 8) {
            throw ctx.shapeError(n, "pads " + Arrays.toString(pads) + " for a rank-4 input (need 8 values)");
        }
        if (pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0) {
            throw new Unsupported("pads the batch or channel axis " + Arrays.toString(pads) + " (only H and W)");
        }
        for (long p : pads) {
            if (p < 0) {
                throw new Unsupported("has negative pads " + Arrays.toString(pads) + " (cropping is not supported)");
            }
            if (p > 1 << 16) {
                throw ctx.shapeError(n, "pads " + Arrays.toString(pads) + " are implausibly large");
            }
        }
        int[] p = {(int) pads[2], (int) pads[3], (int) pads[6], (int) pads[7]};
        int[] xs = x.onnxShape();
        Value y = out(ctx, n, new int[] {1, xs[1], xs[2] + p[0] + p[2], xs[3] + p[1] + p[3]}, null);
        ctx.emit(new Node(n.name(), OpType.PAD, PadOptions.newBuilder()
                .setPadding(padding(p[0], p[1], p[2], p[3])).setValue(value).build(), List.of(x), y));
    }

    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) {
        return Int8Rule.runsInFloat("an unfused PAD has no int8 kernel");
    }

    @Override
    public void export(OnnxExporter ex, Operator op, String name) throws ConversionException {
        TensorInfo x = ex.model().tensor(op.getInputs(0));
        if (x.rank() != 4) {
            throw new ConversionException("export to ONNX: PAD '" + op.getName() + "' on " + x.describe() + ": only rank 4 is exported");
        }
        Padding p = op.getPad().getPadding();
        String pads = ex.graph().int64s(name + "/pads", new long[] {0, 0, p.getTop(), p.getLeft(), 0, 0, p.getBottom(), p.getRight()}, 8);
        String constant = ex.graph().floats(name + "/value", new float[] {op.getPad().getValue()});
        ex.result(op, 0, ex.graph().node("Pad", new String[] {ex.floatInput(op, 0), pads, constant}, name,
                OnnxExporter.modeConstant()), name);
    }
}
