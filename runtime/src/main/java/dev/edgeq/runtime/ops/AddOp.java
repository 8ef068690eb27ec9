package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.ElementwiseFloat;
import java.util.Arrays;

/** ADD: two tensors of equal shape (a residual), or x plus a constant [C] broadcast over the last axis. */
public final class AddOp {
    private AddOp() {}

    static void validate(Checks c) throws ModelFormatException {
        c.inputs(2, 2);
        TensorInfo a = c.input(0);
        TensorInfo b = c.input(1);
        TensorInfo y = c.output();
        c.activationTypes(a, y);
        if (!Arrays.equals(a.shape(), y.shape())) {
            throw c.error("output " + y.describe() + " should have the shape of input " + a.describe());
        }
        boolean perChannel = b.isConstant() && b.elementCount() == a.lastDim() && b.rank() == 1;
        if (!perChannel && !Arrays.equals(a.shape(), b.shape())) {
            throw c.error("inputs " + a.describe() + " and " + b.describe()
                    + " must have equal shapes, or the second must be a constant of " + a.lastDim() + " values");
        }
        if (b.type() != a.type()) {
            throw c.error("inputs " + a.describe() + " and " + b.describe() + " differ in type");
        }
    }

    static PreparedOp prepare(OpContext ctx) throws ModelFormatException {
        if (ctx.input(0).type() == DataType.INT8) {
            return Int8Ops.add(ctx);
        }
        TensorStorage s = ctx.storage();
        TensorInfo a = ctx.input(0);
        TensorInfo b = ctx.input(1);
        int n = a.elementCount();
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] other = s.floats(ctx.inputIndex(1));
        int otherOff = s.offset(ctx.inputIndex(1));
        float[] out = s.floats(ctx.outputIndex());
        int outOff = s.offset(ctx.outputIndex());
        float[] range = OpContext.floatRange(ctx.op().getAdd().getActivation());
        float lo = range[0];
        float hi = range[1];
        if (b.elementCount() != n) {
            int channels = a.lastDim();
            return () -> ElementwiseFloat.addPerChannel(n, channels, in, inOff, other, lo, hi, out, outOff);
        }
        return () -> ElementwiseFloat.add(n, in, inOff, other, otherOff, lo, hi, out, outOff);
    }
}
