package dev.edgeq.runtime.ops;

import dev.edgeq.format.FusedActivation;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.ConvGeometry;

/** GLOBAL_AVERAGE_POOL and GLOBAL_MAX_POOL: [1,H,W,C] to [1,1,1,C], a pool with the whole plane as window. */
final class GlobalPoolOp implements OpRegistration {
    static final GlobalPoolOp MAX = new GlobalPoolOp(true);
    static final GlobalPoolOp AVERAGE = new GlobalPoolOp(false);

    private final boolean max;

    private GlobalPoolOp(boolean max) {
        this.max = max;
    }

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(1, 1);
        op.requireOutputs(1);
        TensorInfo x = op.input(0);
        op.requireRank(x, "input", 4);
        op.requireBatchOne(x, "input");
        op.requireActivationTypes(x, op.output());
        op.requireOutputSpatial(op.output(), 1, 1, x.dim(3));
    }

    private static ConvGeometry geometry(OpContext ctx) {
        TensorInfo x = ctx.input(0);
        return ConvGeometry.builder()
                .input(x.dim(1), x.dim(2), x.dim(3))
                .output(1, 1, x.dim(3))
                .kernel(x.dim(1), x.dim(2))
                .stride(1, 1)
                .build();
    }

    @Override
    public PreparedOp prepareFloat(OpContext ctx) {
        return Pool2DOp.prepareFloat(ctx, geometry(ctx), max, false, FusedActivation.getDefaultInstance());
    }

    @Override
    public PreparedOp prepareInt8(OpContext ctx) throws ModelFormatException {
        return Pool2DOp.prepareInt8(ctx, geometry(ctx), max, false, FusedActivation.getDefaultInstance());
    }

    /** Comparisons and additions only. */
    @Override
    public long macs(OpInfo op) {
        return 0;
    }
}
