package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.format.FusedActivation;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.FullyConnectedFloat;

/** FULLY_CONNECTED: x read flat (NHWC order), weights [O][N], optional bias [O]; output [1,O]. */
public final class FullyConnectedOp {
    private FullyConnectedOp() {}

    static void validate(Checks c) throws ModelFormatException {
        c.inputs(2, 3);
        TensorInfo x = c.input(0);
        TensorInfo w = c.input(1);
        TensorInfo b = c.input(2);
        TensorInfo y = c.output();
        c.rank(w, "weights", 2);
        c.constant(w, "weights");
        c.activationTypes(x, y);
        c.type(w, "weights", x.type() == DataType.INT8 ? DataType.INT8 : DataType.FLOAT32);
        if (w.dim(1) != x.elementCount()) {
            throw c.error("weights " + w.describe() + " take " + w.dim(1) + " inputs, input " + x.describe() + " has " + x.elementCount());
        }
        if (y.elementCount() != w.dim(0) || y.dim(0) != 1) {
            throw c.error("output " + y.describe() + " should be [1x" + w.dim(0) + "]");
        }
        if (b != null) {
            c.constant(b, "bias");
            c.shape(b, "bias", w.dim(0));
            c.type(b, "bias", x.type() == DataType.INT8 ? DataType.INT32 : DataType.FLOAT32);
        }
    }

    static FusedActivation activation(OpContext ctx) {
        return ctx.op().getFullyConnected().getActivation();
    }

    static PreparedOp prepare(OpContext ctx) throws ModelFormatException {
        if (ctx.input(0).type() == DataType.INT8) {
            return Int8Ops.fullyConnected(ctx);
        }
        TensorStorage s = ctx.storage();
        int inputs = ctx.input(1).dim(1);
        int outputs = ctx.input(1).dim(0);
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] w = s.floats(ctx.inputIndex(1));
        float[] bias = ctx.hasInput(2) ? s.floats(ctx.inputIndex(2)) : null;
        float[] out = s.floats(ctx.outputIndex());
        int outOff = s.offset(ctx.outputIndex());
        float[] range = OpContext.floatRange(activation(ctx));
        float lo = range[0];
        float hi = range[1];
        return () -> FullyConnectedFloat.fullyConnected(inputs, outputs, in, inOff, w, bias, lo, hi, out, outOff);
    }
}
