package dev.edgeq.runtime.ops;

import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.ElementwiseFloat;

/** MUL: x times a constant [C] broadcast over the last axis (the scale of a BatchNorm that had no conv to fold into); float only. */
final class MulOp extends FloatOnlyOp {

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(2, 2);
        op.requireOutputs(1);
        TensorInfo a = op.input(0);
        TensorInfo b = op.input(1);
        op.requireFloat(a, op.output());
        op.requireConstant(b, "scale");
        op.requireShape(b, "scale", a.lastDim());
        op.requireSameShape(a, op.output());
    }

    @Override
    public PreparedOp prepareFloat(OpContext ctx) {
        TensorStorage s = ctx.storage();
        TensorInfo a = ctx.input(0);
        int n = a.elementCount();
        int channels = a.lastDim();
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] scale = s.floats(ctx.inputIndex(1));
        float[] out = s.floats(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        return () -> ElementwiseFloat.mulPerChannel(n, channels, in, inOff, scale, out, outOff);
    }

    /** One multiplication per element. */
    @Override
    public long macs(OpInfo op) {
        return op.output().elementCount();
    }
}
