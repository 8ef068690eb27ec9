package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.format.OpType;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.ConvGeometry;

/** GLOBAL_AVERAGE_POOL and GLOBAL_MAX_POOL: [1,H,W,C] to [1,1,1,C], a pool with the whole plane as window. */
public final class GlobalPoolOp {
    private GlobalPoolOp() {}

    static void validate(Checks c) throws ModelFormatException {
        c.inputs(1, 1);
        TensorInfo x = c.input(0);
        c.rank(x, "input", 4);
        c.batchOne(x, "input");
        c.activationTypes(x, c.output());
        c.outputSpatial(c.output(), 1, 1, x.dim(3));
    }

    static PreparedOp prepare(OpContext ctx) throws ModelFormatException {
        TensorInfo x = ctx.input(0);
        ConvGeometry g = ConvGeometry.builder()
                .input(x.dim(1), x.dim(2), x.dim(3))
                .output(1, 1, x.dim(3))
                .kernel(x.dim(1), x.dim(2))
                .stride(1, 1)
                .build();
        boolean max = ctx.op().getType() == OpType.GLOBAL_MAX_POOL;
        if (x.type() == DataType.INT8) {
            return Int8Ops.pool(ctx, g, max, false);
        }
        return Pool2DOp.floatPool(ctx, g, max, false);
    }
}
