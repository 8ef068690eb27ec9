package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.SoftmaxFloat;

/** SOFTMAX over the last axis, float (int8 models dequantize before it). */
public final class SoftmaxOp {
    private SoftmaxOp() {}

    static void validate(Checks c) throws ModelFormatException {
        c.inputs(1, 1);
        c.type(c.input(0), "input", DataType.FLOAT32);
        c.type(c.output(), "output", DataType.FLOAT32);
        c.sameCount(c.input(0), c.output());
    }

    static PreparedOp prepare(OpContext ctx) {
        TensorStorage s = ctx.storage();
        TensorInfo x = ctx.input(0);
        int depth = x.lastDim();
        int rows = x.elementCount() / depth;
        float beta = ctx.op().hasSoftmax() && ctx.op().getSoftmax().getBeta() != 0f ? ctx.op().getSoftmax().getBeta() : 1f;
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] out = s.floats(ctx.outputIndex());
        int outOff = s.offset(ctx.outputIndex());
        return () -> SoftmaxFloat.softmax(rows, depth, beta, in, inOff, out, outOff);
    }
}
