package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.FullyConnectedFloat;
import dev.edgeq.runtime.kernels.int8.FullyConnectedParams;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.quant.ActivationRange;

/** FULLY_CONNECTED: x read flat (NHWC order), weights [O][N], optional bias [O]; output [1,O]. */
final class FullyConnectedOp implements OpRegistration {

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(2, 3);
        op.requireOutputs(1);
        TensorInfo x = op.input(0);
        TensorInfo w = op.input(1);
        TensorInfo b = op.input(2);
        TensorInfo y = op.output();
        op.requireRank(w, "weights", 2);
        op.requireConstant(w, "weights");
        op.requireActivationTypes(x, y);
        boolean int8 = x.type() == DataType.INT8;
        op.requireType(w, "weights", int8 ? DataType.INT8 : DataType.FLOAT32);
        if (w.dim(1) != x.elementCount()) {
            throw op.error("weights " + w.describe() + " take " + w.dim(1) + " inputs, input " + x.describe() + " has " + x.elementCount());
        }
        if (y.elementCount() != w.dim(0) || y.dim(0) != 1) {
            throw op.error("output " + y.describe() + " should be [1x" + w.dim(0) + "]");
        }
        if (b != null) {
            op.requireConstant(b, "bias");
            op.requireShape(b, "bias", w.dim(0));
            op.requireType(b, "bias", int8 ? DataType.INT32 : DataType.FLOAT32);
        }
    }

    @Override
    public PreparedOp prepareFloat(OpContext ctx) {
        TensorStorage s = ctx.storage();
        int inputs = ctx.input(1).dim(1);
        int outputs = ctx.input(1).dim(0);
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] w = s.floats(ctx.inputIndex(1));
        float[] bias = ctx.hasInput(2) ? s.floats(ctx.inputIndex(2)) : null;
        float[] out = s.floats(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        float[] range = OpInfo.floatRange(ctx.op().getFullyConnected().getActivation());
        float lo = range[0];
        float hi = range[1];
        return () -> FullyConnectedFloat.fullyConnected(inputs, outputs, in, inOff, w, bias, lo, hi, out, outOff);
    }

    @Override
    public PreparedOp prepareInt8(OpContext ctx) throws ModelFormatException {
        TensorInfo x = ctx.input(0);
        TensorInfo w = ctx.input(1);
        TensorInfo y = ctx.output();
        ctx.requirePerTensor(x, "input");
        ctx.requirePerTensor(y, "output");
        int outputs = w.dim(0);
        int[][] requant = ctx.perChannelMultipliers(x, w, y, outputs, 0);
        ctx.requireBiasZeroPoint();
        ActivationRange range = ctx.activationRange(ctx.op().getFullyConnected().getActivation(), y);
        FullyConnectedParams p = FullyConnectedParams.perChannel(1, w.dim(1), outputs, -x.zeroPoint(), 0,
                y.zeroPoint(), range.min(), range.max(), requant[0], requant[1]);
        int[] bias = ctx.hasInput(2) ? ctx.input(2).int32Data() : null;
        return ctx.bind(Int8Kernels.fullyConnected(p, w.int8Data(), 0, bias, 0, ctx.int8Implementation()));
    }

    /** One multiply-accumulate per weight. */
    @Override
    public long macs(OpInfo op) {
        TensorInfo w = op.input(1);
        return (long) w.dim(0) * w.dim(1);
    }
}
