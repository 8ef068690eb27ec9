package dev.edgeq.converter.ops;

import static dev.edgeq.converter.ops.Lowering.out;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.export.OnnxExporter;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.converter.onnx.OnnxConstant;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.ShapeFolding;
import dev.edgeq.converter.onnx.Shapes;
import dev.edgeq.converter.onnx.Unsupported;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.runtime.TensorInfo;
import java.util.Arrays;
import java.util.List;

/**
 * ONNX Add, Sub and Mul: of two computed tensors of equal shape or one of them a per-channel gate
 * [1,C,1,1] broadcast over the other [1,C,H,W] (squeeze-excitation), or of a tensor and a
 * per-channel constant (a scalar or one value per channel, broadcast over the last NHWC axis; Sub
 * of a constant becomes ADD of its negation).
 */
final class ArithmeticSpec extends OneToOneSpec {
    static final ArithmeticSpec ADD = new ArithmeticSpec("Add", OpType.ADD);
    static final ArithmeticSpec MUL = new ArithmeticSpec("Mul", OpType.MUL);
    static final ArithmeticSpec SUB = new ArithmeticSpec("Sub", OpType.SUB);

    private ArithmeticSpec(String onnxType, OpType type) {
        super(onnxType, type);
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        lower(ctx, n, false);
    }

    /**
     * ONNX Div: of two constants (shape arithmetic) folded, of a computed tensor by a constant a MUL
     * by its reciprocal; {@code n} is a Div node, lowered by {@link #MUL}.
     */
    void lowerDiv(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        lower(ctx, n, true);
    }

    private void lower(OnnxImporter ctx, OnnxNode n, boolean divide) throws Unsupported, ConversionException {
        boolean c0 = ctx.isConstant(n.input(0));
        boolean c1 = ctx.isConstant(n.input(1));
        if (c0 && c1) {
            ShapeFolding.fold(ctx, n);
            return;
        }
        if (divide && !c1) {
            throw new Unsupported("divides by a computed tensor (only x / constant)");
        }
        if (!c0 && !c1) {
            Value a = ctx.activation(n, 0);
            Value b = ctx.activation(n, 1);
            int[] as = a.onnxShape();
            int[] bs = b.onnxShape();
            boolean same = Arrays.equals(as, bs);
            boolean gate2 = isGate(bs, as);
            boolean gate1 = isGate(as, bs);
            if (!same && !gate1 && !gate2) {
                throw new Unsupported("broadcasts " + Shapes.str(as) + " with " + Shapes.str(bs)
                        + " (two computed tensors need equal shapes, or one a per-channel gate [1,C,1,1])");
            }
            if (same && !Arrays.equals(a.chwOrigin(), b.chwOrigin())) {
                throw new Unsupported("combines a flattened C x H x W tensor with one of another layout");
            }
            Value full = gate1 ? b : a;
            Value y = out(ctx, n, full.onnxShape(), full.chwOrigin());
            ctx.emit(new Node(n.name(), type, null, List.of(a, b), y));
            return;
        }
        int xi = c0 ? 1 : 0;
        if (type == OpType.SUB && c0) {
            throw new Unsupported("subtracts a computed tensor from a constant (only x - constant)");
        }
        Value x = ctx.activation(n, xi);
        OnnxConstant k = ctx.constant(n, 1 - xi, "operand");
        float[] perChannel = perChannel(ctx, n, x, k);
        OpType emitted = type;
        if (divide) {
            for (int i = 0; i < perChannel.length; i++) {
                perChannel[i] = 1 / perChannel[i];
            }
        }
        if (type == OpType.SUB) {
            for (int i = 0; i < perChannel.length; i++) {
                perChannel[i] = -perChannel[i];
            }
            emitted = OpType.ADD;
        }
        Value kv = Value.constant(ctx.freshName(n.input(1 - xi)), new int[] {perChannel.length}, perChannel);
        Value y = out(ctx, n, x.onnxShape(), x.chwOrigin());
        ctx.emit(new Node(n.name(), emitted, null, List.of(x, kv), y));
    }

    /** {@code gate} is [1,C,1,1] (or [1,C] on a vector: the same shape) against {@code full} [1,C,H,W]. */
    private static boolean isGate(int[] gate, int[] full) {
        return gate.length == 4 && full.length == 4 && gate[0] == 1 && gate[1] == full[1] && gate[2] == 1 && gate[3] == 1
                && full[2] * full[3] > 1;
    }

    /**
     * A constant operand as one value per channel (last NHWC axis); accepts a scalar, [C,1,1] /
     * [1,C,1,1] on images, [N] / [1,N] on vectors (permuted when the vector is a flattened CHW).
     */
    private static float[] perChannel(OnnxImporter ctx, OnnxNode n, Value x, OnnxConstant k) throws Unsupported {
        int[] xs = x.onnxShape();
        int channels = xs[1];
        int[] kd = trimLeadingOnes(k.dims());
        float[] src = k.toFloats();
        if (src.length == 1) {
            int len = xs.length == 4 ? channels : xs[1];
            float[] r = new float[len];
            Arrays.fill(r, src[0]);
            return r;
        }
        boolean ok = xs.length == 4 ? kd.length == 3 && kd[0] == channels && kd[1] == 1 && kd[2] == 1
                : kd.length == 1 && kd[0] == channels;
        if (!ok || k.rank() > xs.length) {
            throw new Unsupported("has a constant operand of shape " + Shapes.str(k.dims()) + " for input "
                    + Shapes.str(xs) + " (edgeq takes a scalar or one value per channel)");
        }
        int[] chw = x.chwOrigin();
        if (chw == null) {
            return src;
        }
        float[] r = new float[src.length];
        int c = chw[0], hw = chw[1] * chw[2];
        for (int ch = 0; ch < c; ch++) {
            for (int s = 0; s < hw; s++) {
                r[s * c + ch] = src[ch * hw + s];
            }
        }
        return r;
    }

    private static int[] trimLeadingOnes(int[] d) {
        int i = 0;
        while (i < d.length && d[i] == 1) {
            i++;
        }
        return Arrays.copyOfRange(d, i, d.length);
    }

    /**
     * Two computed tensors (equal shapes or a per-channel gate): int8, each input with its own
     * scale, the output with its calibrated range (TFLite's Add, Sub, Mul); except a MUL by a gate
     * (a Sigmoid or HardSigmoid output, as in squeeze-excitation), which keeps the other input's
     * quantization: |x * g| <= |x|, so the product is never clipped where its input was not. A
     * calibrated product range clipped, in every block, the images brighter than the calibration
     * set's (CI size, logit SQNR: regnet_y_400mf 1.00 -> 1.16 dB against PyTorch FX's 1.09,
     * efficientnet_b0 1.33 -> 1.54, mobilenet_v3_small 2.26 -> 2.69). With a constant operand:
     * float (BatchNorm leftovers; no int8 kernel takes a float constant).
     */
    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) {
        TensorInfo a = facts.floatModel().tensor(op.getInputs(0));
        TensorInfo b = facts.floatModel().tensor(op.getInputs(1));
        if (a.isConstant() || b.isConstant()) {
            return Int8Rule.runsInFloat(type + " by a constant has no int8 kernel");
        }
        if (type == OpType.MUL) {
            for (int k = 0; k < 2; k++) {
                if (facts.isGate(op.getInputs(k))) {
                    return Int8Rule.keepsQuantizationOf(1 - k);
                }
            }
        }
        return Int8Rule.requantizes();
    }

    private static String onnxTypeOf(OpType t) {
        return t == OpType.ADD ? "Add" : t == OpType.SUB ? "Sub" : "Mul";
    }

    @Override
    public void export(OnnxExporter ex, Operator op, String name) throws ConversionException {
        String v = ex.graph().node(onnxTypeOf(op.getType()), new String[] {ex.floatInput(op, 0), ex.broadcastOperand(op)}, name);
        v = ex.fusedActivation(v, switch (op.getType()) {
            case ADD -> op.getAdd().getActivation();
            case SUB -> op.getSub().getActivation();
            default -> op.getMul().getActivation();
        }, name);
        ex.result(op, 0, v, name);
    }
}
