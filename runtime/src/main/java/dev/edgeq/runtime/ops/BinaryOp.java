package dev.edgeq.runtime.ops;

import dev.edgeq.format.FusedActivation;
import dev.edgeq.format.Operator;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.ChannelBroadcast;
import dev.edgeq.runtime.kernels.float32.BinaryFloat;
import dev.edgeq.runtime.kernels.float32.FloatKernels;
import dev.edgeq.runtime.kernels.int8.AddParams;
import dev.edgeq.runtime.kernels.int8.BroadcastBinaryFast;
import dev.edgeq.runtime.kernels.int8.ElementPairFunction;
import dev.edgeq.runtime.kernels.int8.ElementPairKernel;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.kernels.int8.MulParams;
import dev.edgeq.runtime.kernels.int8.VectorSupport;
import dev.edgeq.runtime.quant.ActivationRange;
import java.util.Arrays;

/**
 * ADD, SUB and MUL of two tensors: equal shapes (a residual), or one of them C values broadcast
 * over the other's channels ({@link ChannelBroadcast}): a squeeze-excitation gate {@code [1,1,1,C]}
 * computed by the model, or a constant {@code [C]} (the scale or shift of a BatchNorm with no conv
 * to fold into). int8: TFLite's Add (Sub: input 2 negated) and Mul arithmetic, in int lanes where the
 * Vector API runs ({@code BroadcastBinaryVector}), else from a 64K pair table ({@link BroadcastBinaryFast}).
 */
final class BinaryOp implements OpRegistration {
    static final BinaryOp ADD = new BinaryOp(BinaryFloat.Op.ADD);
    static final BinaryOp SUB = new BinaryOp(BinaryFloat.Op.SUB);
    static final BinaryOp MUL = new BinaryOp(BinaryFloat.Op.MUL);

    private final BinaryFloat.Op kind;

    private BinaryOp(BinaryFloat.Op kind) {
        this.kind = kind;
    }

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(2, 2);
        op.requireOutputs(1);
        TensorInfo a = op.input(0);
        TensorInfo b = op.input(1);
        TensorInfo y = op.output();
        op.requireActivationTypes(a, y);
        if (b.type() != a.type()) {
            throw op.error("inputs " + a.describe() + " and " + b.describe() + " differ in type");
        }
        boolean sameShape = Arrays.equals(a.shape(), y.shape()) && Arrays.equals(b.shape(), y.shape());
        boolean gate2 = Arrays.equals(a.shape(), y.shape()) && isChannelVector(b, y.lastDim());
        boolean gate1 = Arrays.equals(b.shape(), y.shape()) && isChannelVector(a, y.lastDim());
        if (!sameShape && !gate1 && !gate2) {
            throw op.error("inputs " + a.describe() + " and " + b.describe() + " must have the output's shape "
                    + y.describe() + ", or one of them " + y.lastDim() + " values broadcast over the channels ([1,1,1,"
                    + y.lastDim() + "] or [" + y.lastDim() + "])");
        }
    }

    /** C values: every dimension but the last is 1. */
    private static boolean isChannelVector(TensorInfo t, int channels) {
        return t.lastDim() == channels && t.elementCount() == channels;
    }

    private ChannelBroadcast broadcast(OpInfo op) {
        TensorInfo y = op.output();
        int channels = y.lastDim();
        int pixels = y.elementCount() / channels;
        if (op.input(0).elementCount() == op.input(1).elementCount()) {
            return ChannelBroadcast.sameShape(pixels, channels);
        }
        return ChannelBroadcast.gate(pixels, channels, op.input(0).elementCount() == channels);
    }

    private FusedActivation activation(Operator o) {
        switch (kind) {
            case ADD: return o.getAdd().getActivation();
            case SUB: return o.getSub().getActivation();
            default: return o.getMul().getActivation();
        }
    }

    @Override
    public PreparedOp prepareFloat(OpContext ctx) {
        ChannelBroadcast shape = broadcast(ctx);
        TensorStorage s = ctx.storage();
        float[] a = s.floats(ctx.inputIndex(0));
        int aOff = s.offset(ctx.inputIndex(0));
        float[] b = s.floats(ctx.inputIndex(1));
        int bOff = s.offset(ctx.inputIndex(1));
        float[] out = s.floats(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        float[] range = OpInfo.floatRange(activation(ctx.op()));
        float lo = range[0];
        float hi = range[1];
        BinaryFloat.Op op = kind;
        if (FloatKernels.vector(ctx.int8Implementation())) {
            VectorSupport.Factory v = VectorSupport.factory();
            return () -> v.binaryFloat(op, shape, a, aOff, b, bOff, lo, hi, out, outOff);
        }
        return () -> BinaryFloat.eval(op, shape, a, aOff, b, bOff, lo, hi, out, outOff);
    }

    @Override
    public PreparedOp prepareInt8(OpContext ctx) throws ModelFormatException {
        TensorInfo a = ctx.input(0);
        TensorInfo b = ctx.input(1);
        TensorInfo y = ctx.output();
        ctx.requirePerTensor(a, "input 0");
        ctx.requirePerTensor(b, "input 1");
        ctx.requirePerTensor(y, "output");
        ActivationRange r = ctx.activationRange(activation(ctx.op()), y);
        ElementPairFunction f;
        switch (kind) {
            case ADD:
                f = AddParams.fromScales(a.scale(), a.zeroPoint(), b.scale(), b.zeroPoint(), y.scale(), y.zeroPoint(), r.min(), r.max());
                break;
            case SUB:
                f = AddParams.subFromScales(a.scale(), a.zeroPoint(), b.scale(), b.zeroPoint(), y.scale(), y.zeroPoint(),
                        r.min(), r.max());
                break;
            default:
                f = MulParams.fromScales(a.scale(), a.zeroPoint(), b.scale(), b.zeroPoint(), y.scale(), y.zeroPoint(), r.min(), r.max());
        }
        ChannelBroadcast shape = broadcast(ctx);
        TensorStorage s = ctx.storage();
        byte[] in1 = s.bytes(ctx.inputIndex(0));
        int in1Off = s.offset(ctx.inputIndex(0));
        byte[] in2 = s.bytes(ctx.inputIndex(1));
        int in2Off = s.offset(ctx.inputIndex(1));
        byte[] out = s.bytes(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        ElementPairKernel kernel = Int8Kernels.elementPair(f, ctx.int8Implementation());
        return () -> kernel.eval(shape, in1, in1Off, in2, in2Off, out, outOff);
    }

    /** MUL: one multiplication per output element; ADD and SUB: none. */
    @Override
    public long macs(OpInfo op) {
        return kind == BinaryFloat.Op.MUL ? op.output().elementCount() : 0;
    }
}
