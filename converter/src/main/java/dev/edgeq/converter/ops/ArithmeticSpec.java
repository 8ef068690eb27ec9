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
import java.util.Arrays;
import java.util.List;

/**
 * ONNX Add and Mul: of two computed tensors of equal shape (Add only), or of a tensor and a
 * per-channel constant (a scalar or one value per channel, broadcast over the last NHWC axis).
 */
final class ArithmeticSpec extends OneToOneSpec {
    static final ArithmeticSpec ADD = new ArithmeticSpec("Add", OpType.ADD);
    static final ArithmeticSpec MUL = new ArithmeticSpec("Mul", OpType.MUL);

    private ArithmeticSpec(String onnxType, OpType type) {
        super(onnxType, type);
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        addOrMul(ctx, n);
    }

    private static void addOrMul(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        boolean add = n.opType().equals("Add");
        OpType type = add ? OpType.ADD : OpType.MUL;
        boolean c0 = ctx.isConstant(n.input(0));
        boolean c1 = ctx.isConstant(n.input(1));
        if (c0 && c1) {
            throw new Unsupported("has two constant inputs (constant folding is not supported)");
        }
        if (!c0 && !c1) {
            Value a = ctx.activation(n, 0);
            Value b = ctx.activation(n, 1);
            if (!add) {
                throw new Unsupported("multiplies two computed tensors (only a per-channel constant factor)");
            }
            if (!Arrays.equals(a.onnxShape(), b.onnxShape())) {
                throw new Unsupported("broadcasts " + Shapes.str(a.onnxShape()) + " with " + Shapes.str(b.onnxShape())
                        + " (element-wise Add needs equal shapes, or a per-channel constant)");
            }
            if (!Arrays.equals(a.chwOrigin(), b.chwOrigin())) {
                throw new Unsupported("adds a flattened C x H x W tensor to one of another layout");
            }
            Value y = out(ctx, n, a.onnxShape(), a.chwOrigin());
            ctx.emit(new Node(n.name(), type, null, List.of(a, b), y));
            return;
        }
        int xi = c0 ? 1 : 0;
        Value x = ctx.activation(n, xi);
        OnnxConstant k = ctx.constant(n, 1 - xi, "operand");
        float[] perChannel = perChannel(ctx, n, x, k);
        Value kv = Value.constant(ctx.freshName(n.input(1 - xi)), new int[] {perChannel.length}, perChannel);
        Value y = out(ctx, n, x.onnxShape(), x.chwOrigin());
        ctx.emit(new Node(n.name(), type, null, List.of(x, kv), y));
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
     * ADD of two computed tensors of equal size: int8 with each input's own scale (TFLite's Add).
     * ADD of a constant and every MUL: float (no int8 kernel).
     */
    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) {
        if (type == OpType.MUL) {
            return Int8Rule.runsInFloat("MUL by a constant has no int8 kernel");
        }
        TensorInfo a = facts.floatModel().tensor(op.getInputs(0));
        TensorInfo b = facts.floatModel().tensor(op.getInputs(1));
        boolean twoActivations = !a.isConstant() && !b.isConstant() && a.elementCount() == b.elementCount();
        return twoActivations ? Int8Rule.requantizes() : Int8Rule.runsInFloat("ADD of a broadcast constant");
    }

    @Override
    public void export(OnnxExporter ex, Operator op, String name) throws ConversionException {
        String v = ex.graph().node(onnxType, new String[] {ex.floatInput(op, 0), ex.broadcastOperand(op)}, name);
        if (type == OpType.ADD) {
            v = ex.fusedActivation(v, op.getAdd().getActivation(), name);
        }
        ex.result(op, 0, v, name);
    }
}
