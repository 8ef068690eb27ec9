package dev.edgeq.runtime.ops;

import dev.edgeq.format.FusedActivation;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.kernels.int8.MeanParams;

/**
 * MEAN over H and W: [1,H,W,C] to [1,1,1,C] or [1,C] (ONNX ReduceMean over the spatial axes,
 * keepdims 1 or 0). Float: global average pooling; int8: TFLite Mean's rounding ({@link MeanParams}),
 * which differs from average pooling's, with its own output scale.
 */
final class MeanOp implements OpRegistration {

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(1, 1);
        op.requireOutputs(1);
        TensorInfo x = op.input(0);
        TensorInfo y = op.output();
        op.requireRank(x, "input", 4);
        op.requireBatchOne(x, "input");
        op.requireActivationTypes(x, y);
        if (y.lastDim() != x.dim(3) || y.elementCount() != x.dim(3)) {
            throw op.error("output " + y.describe() + " should be [1,1,1," + x.dim(3) + "] or [1," + x.dim(3) + "]");
        }
    }

    private static ConvGeometry geometry(TensorInfo x) {
        return ConvGeometry.builder().input(x.dim(1), x.dim(2), x.dim(3)).output(1, 1, x.dim(3)).kernel(x.dim(1), x.dim(2)).build();
    }

    @Override
    public PreparedOp prepareFloat(OpContext ctx) {
        return Pool2DOp.prepareFloat(ctx, geometry(ctx.input(0)), false, false, FusedActivation.getDefaultInstance());
    }

    @Override
    public PreparedOp prepareInt8(OpContext ctx) throws ModelFormatException {
        TensorInfo x = ctx.input(0);
        TensorInfo y = ctx.output();
        ctx.requirePerTensor(x, "input");
        ctx.requirePerTensor(y, "output");
        MeanParams p = MeanParams.fromScales(x.dim(1), x.dim(2), x.dim(3), x.scale(), x.zeroPoint(), y.scale(), y.zeroPoint());
        return ctx.bind(Int8Kernels.mean(p, ctx.int8Implementation()));
    }

    /** Additions only (as global average pooling). */
    @Override
    public long macs(OpInfo op) {
        return 0;
    }
}
