package dev.edgeq.runtime.ops;

import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.ElementwiseFloat;
import dev.edgeq.runtime.kernels.int8.AddFast;
import dev.edgeq.runtime.kernels.int8.AddParams;
import dev.edgeq.runtime.kernels.int8.AddReference;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.quant.ActivationRange;
import java.util.Arrays;

/** ADD: two tensors of equal shape (a residual), or x plus a constant [C] broadcast over the last axis. */
final class AddOp implements OpRegistration {

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(2, 2);
        op.requireOutputs(1);
        TensorInfo a = op.input(0);
        TensorInfo b = op.input(1);
        TensorInfo y = op.output();
        op.requireActivationTypes(a, y);
        op.requireSameShape(a, y);
        boolean perChannel = b.isConstant() && b.elementCount() == a.lastDim() && b.rank() == 1;
        if (!perChannel && !Arrays.equals(a.shape(), b.shape())) {
            throw op.error("inputs " + a.describe() + " and " + b.describe()
                    + " must have equal shapes, or the second must be a constant of " + a.lastDim() + " values");
        }
        if (b.type() != a.type()) {
            throw op.error("inputs " + a.describe() + " and " + b.describe() + " differ in type");
        }
    }

    @Override
    public PreparedOp prepareFloat(OpContext ctx) {
        TensorStorage s = ctx.storage();
        TensorInfo a = ctx.input(0);
        TensorInfo b = ctx.input(1);
        int n = a.elementCount();
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] other = s.floats(ctx.inputIndex(1));
        int otherOff = s.offset(ctx.inputIndex(1));
        float[] out = s.floats(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        float[] range = OpInfo.floatRange(ctx.op().getAdd().getActivation());
        float lo = range[0];
        float hi = range[1];
        if (b.elementCount() != n) {
            int channels = a.lastDim();
            return () -> ElementwiseFloat.addPerChannel(n, channels, in, inOff, other, lo, hi, out, outOff);
        }
        return () -> ElementwiseFloat.add(n, in, inOff, other, otherOff, lo, hi, out, outOff);
    }

    /** Two int8 tensors with their own scales (TFLite's int8 Add). */
    @Override
    public PreparedOp prepareInt8(OpContext ctx) throws ModelFormatException {
        TensorInfo a = ctx.input(0);
        TensorInfo b = ctx.input(1);
        TensorInfo y = ctx.output();
        if (b.elementCount() != a.elementCount()) {
            throw ctx.error("int8 ADD of a broadcast constant " + b.describe()
                    + " has no int8 kernel (the quantizer runs it in float)");
        }
        ctx.requirePerTensor(a, "input 0");
        ctx.requirePerTensor(b, "input 1");
        ctx.requirePerTensor(y, "output");
        ActivationRange range = ctx.activationRange(ctx.op().getAdd().getActivation(), y);
        AddParams p = AddParams.fromScales(a.scale(), a.zeroPoint(), b.scale(), b.zeroPoint(), y.scale(), y.zeroPoint(),
                range.min(), range.max());
        TensorStorage s = ctx.storage();
        int n = a.elementCount();
        byte[] in1 = s.bytes(ctx.inputIndex(0));
        int in1Off = s.offset(ctx.inputIndex(0));
        byte[] in2 = s.bytes(ctx.inputIndex(1));
        int in2Off = s.offset(ctx.inputIndex(1));
        byte[] out = s.bytes(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        if (ctx.int8Implementation() == Int8Kernels.Implementation.REFERENCE) {
            return () -> AddReference.eval(p, in1, in1Off, in2, in2Off, out, outOff, n);
        }
        AddFast fast = AddFast.prepare(p);
        return () -> fast.eval(in1, in1Off, in2, in2Off, out, outOff, n);
    }

    /** Additions only. */
    @Override
    public long macs(OpInfo op) {
        return 0;
    }
}
