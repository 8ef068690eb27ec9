package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.runtime.ModelFormatException;

/** RESHAPE: same elements, same order, new shape. A copy (a few hundred bytes in practice); int8 keeps the quantization. */
final class ReshapeOp implements OpRegistration {

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(1, 2);
        op.requireOutputs(1);
        op.requireSameCount(op.input(0), op.output());
        op.requireActivationTypes(op.input(0), op.output());
        if (op.input(0).type() == DataType.INT8) {
            op.requireSameQuantization(op.input(0), op.output());
        }
    }

    @Override
    public PreparedOp prepareFloat(OpContext ctx) {
        TensorStorage s = ctx.storage();
        int n = ctx.input(0).elementCount();
        float[] src = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] dst = s.floats(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        return () -> System.arraycopy(src, inOff, dst, outOff, n);
    }

    @Override
    public PreparedOp prepareInt8(OpContext ctx) {
        TensorStorage s = ctx.storage();
        int n = ctx.input(0).elementCount();
        byte[] src = s.bytes(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        byte[] dst = s.bytes(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        return () -> System.arraycopy(src, inOff, dst, outOff, n);
    }

    /** Moves data only. */
    @Override
    public long macs(OpInfo op) {
        return 0;
    }
}
