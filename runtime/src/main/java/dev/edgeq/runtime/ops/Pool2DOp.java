package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.format.PoolOptions;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.float32.AveragePool2DFloat;
import dev.edgeq.runtime.kernels.float32.MaxPool2DFloat;

/** MAX_POOL_2D and AVERAGE_POOL_2D over x [1,H,W,C]. */
public final class Pool2DOp {
    private Pool2DOp() {}

    static void validate(Checks c, Operator op) throws ModelFormatException {
        c.inputs(1, 1);
        TensorInfo x = c.input(0);
        TensorInfo y = c.output();
        c.rank(x, "input", 4);
        c.batchOne(x, "input");
        c.activationTypes(x, y);
        if (!op.hasPool()) {
            throw c.error("missing pool options");
        }
        PoolOptions o = op.getPool();
        c.positive(o.getKernelH(), "kernel_h");
        c.positive(o.getKernelW(), "kernel_w");
        c.positive(o.getStrideH(), "stride_h");
        c.positive(o.getStrideW(), "stride_w");
        c.padding(o.getPadding());
        if (o.getPadding().getTop() >= o.getKernelH() || o.getPadding().getBottom() >= o.getKernelH()
                || o.getPadding().getLeft() >= o.getKernelW() || o.getPadding().getRight() >= o.getKernelW()) {
            throw c.error("padding must be smaller than the " + o.getKernelH() + "x" + o.getKernelW() + " window");
        }
        int oh = ConvGeometry.outputSize(x.dim(1), o.getKernelH(), o.getStrideH(), 1, o.getPadding().getTop(), o.getPadding().getBottom(), o.getCeilMode());
        int ow = ConvGeometry.outputSize(x.dim(2), o.getKernelW(), o.getStrideW(), 1, o.getPadding().getLeft(), o.getPadding().getRight(), o.getCeilMode());
        if (oh < 1 || ow < 1) {
            throw c.error("window " + o.getKernelH() + "x" + o.getKernelW() + " does not fit input " + x.describe());
        }
        // ceil_mode: some exporters drop a last window that would start in the padding; accept both.
        boolean ok = y.rank() == 4 && y.dim(0) == 1 && y.dim(3) == x.dim(3)
                && (y.dim(1) == oh || (o.getCeilMode() && y.dim(1) == oh - 1))
                && (y.dim(2) == ow || (o.getCeilMode() && y.dim(2) == ow - 1));
        if (!ok) {
            throw c.error("output " + y.describe() + " should be " + TensorInfo.shapeString(new int[] {1, oh, ow, x.dim(3)}));
        }
    }

    static ConvGeometry geometry(OpContext ctx) {
        PoolOptions o = ctx.op().getPool();
        TensorInfo x = ctx.input(0);
        TensorInfo y = ctx.output();
        return ConvGeometry.builder()
                .input(x.dim(1), x.dim(2), x.dim(3))
                .output(y.dim(1), y.dim(2), y.dim(3))
                .kernel(o.getKernelH(), o.getKernelW())
                .stride(o.getStrideH(), o.getStrideW())
                .padding(o.getPadding().getTop(), o.getPadding().getLeft(), o.getPadding().getBottom(), o.getPadding().getRight())
                .build();
    }

    static PreparedOp prepare(OpContext ctx) throws ModelFormatException {
        ConvGeometry g = geometry(ctx);
        boolean max = ctx.op().getType() == OpType.MAX_POOL_2D;
        boolean includePad = ctx.op().getPool().getCountIncludePad();
        if (ctx.input(0).type() == DataType.INT8) {
            return Int8Ops.pool(ctx, g, max, includePad);
        }
        return floatPool(ctx, g, max, includePad);
    }

    static PreparedOp floatPool(OpContext ctx, ConvGeometry g, boolean max, boolean includePad) {
        TensorStorage s = ctx.storage();
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] out = s.floats(ctx.outputIndex());
        int outOff = s.offset(ctx.outputIndex());
        float[] range = ctx.op().hasPool() ? OpContext.floatRange(ctx.op().getPool().getActivation())
                : new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        float lo = range[0];
        float hi = range[1];
        if (max) {
            return () -> MaxPool2DFloat.maxPool(g, in, inOff, lo, hi, out, outOff);
        }
        return () -> AveragePool2DFloat.averagePool(g, includePad, in, inOff, lo, hi, out, outOff);
    }
}
