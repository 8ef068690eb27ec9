package dev.edgeq.runtime.ops;

import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.SoftmaxFloat;

/** SOFTMAX over the last axis, float (int8 models dequantize before it). */
final class SoftmaxOp extends FloatOnlyOp {

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(1, 1);
        op.requireOutputs(1);
        op.requireFloat(op.input(0), op.output());
        op.requireSameCount(op.input(0), op.output());
    }

    @Override
    public PreparedOp prepareFloat(OpContext ctx) {
        TensorStorage s = ctx.storage();
        TensorInfo x = ctx.input(0);
        int depth = x.lastDim();
        int rows = x.elementCount() / depth;
        float beta = ctx.op().hasSoftmax() && ctx.op().getSoftmax().getBeta() != 0f ? ctx.op().getSoftmax().getBeta() : 1f;
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] out = s.floats(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        return () -> SoftmaxFloat.softmax(rows, depth, beta, in, inOff, out, outOff);
    }

    /** Exponentials and one division per element. */
    @Override
    public long macs(OpInfo op) {
        return 0;
    }
}
