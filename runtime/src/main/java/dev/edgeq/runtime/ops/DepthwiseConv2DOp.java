package dev.edgeq.runtime.ops;

import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.DepthwiseConv2DFloat;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.kernels.int8.VectorSupport;

/** DEPTHWISE_CONV_2D: x [1,H,W,C], weights [1,KH,KW,O] with O = C * depth_multiplier, optional bias [O]. */
final class DepthwiseConv2DOp implements OpRegistration {

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(2, 3);
        op.requireOutputs(1);
        TensorInfo x = op.input(0);
        TensorInfo w = op.input(1);
        op.requireRank(x, "input", 4);
        op.requireBatchOne(x, "input");
        op.requireRank(w, "weights", 4);
        op.requireConstant(w, "weights");
        if (w.dim(0) != 1) {
            throw op.error("depthwise weights " + w.describe() + " must be [1,KH,KW,O]");
        }
        int outC = w.dim(3);
        int multiplier = op.op().hasConv() ? op.op().getConv().getDepthMultiplier() : 0;
        if (multiplier < 1 || outC != x.dim(3) * multiplier) {
            throw op.error("depthwise weights " + w.describe() + " have " + outC + " channels; input " + x.describe()
                    + " with depth_multiplier " + multiplier + " needs " + (x.dim(3) * Math.max(multiplier, 1)));
        }
        Conv2DOp.validateCommon(op, outC, w.dim(1), w.dim(2));
    }

    @Override
    public PreparedOp prepareFloat(OpContext ctx) throws ModelFormatException {
        // The vector kernel computes exactly what the reference does; REFERENCE and SCALAR keep the plain loops.
        if (Int8Kernels.resolve(ctx.int8Implementation()) == Int8Kernels.Implementation.VECTOR) {
            return Conv2DOp.prepareFloat(ctx, VectorSupport.factory()::depthwiseConv2DFloat);
        }
        return Conv2DOp.prepareFloat(ctx, DepthwiseConv2DFloat::conv);
    }

    @Override
    public PreparedOp prepareInt8(OpContext ctx) throws ModelFormatException {
        int[] bias = ctx.hasInput(2) ? ctx.input(2).int32Data() : null;
        byte[] w = ctx.input(1).int8Data();
        return Conv2DOp.byOutputRows(ctx, Conv2DOp.geometry(ctx), (g, inSkip, outSkip) -> ctx.bind(
                Int8Kernels.depthwiseConv2D(Conv2DOp.int8Params(ctx, g, 3), w, 0, bias, 0, ctx.int8Implementation()),
                inSkip, outSkip));
    }

    /** Each output value reads KH*KW taps of one input channel. */
    @Override
    public long macs(OpInfo op) {
        TensorInfo w = op.input(1);
        return (long) op.output().elementCount() * w.dim(1) * w.dim(2);
    }
}
