package dev.edgeq.runtime.ops;

import dev.edgeq.format.FusedActivation;
import dev.edgeq.format.PoolOptions;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.float32.AveragePool2DFloat;
import dev.edgeq.runtime.kernels.float32.AveragePool2DFloatFast;
import dev.edgeq.runtime.kernels.float32.MaxPool2DFloat;
import dev.edgeq.runtime.kernels.float32.FloatKernels;
import dev.edgeq.runtime.kernels.float32.MaxPool2DFloatFast;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.kernels.int8.PoolParams;
import dev.edgeq.runtime.kernels.int8.VectorSupport;
import dev.edgeq.runtime.quant.ActivationRange;

/** MAX_POOL_2D and AVERAGE_POOL_2D over x [1,H,W,C]; int8 keeps the input's quantization. */
final class Pool2DOp implements OpRegistration {
    static final Pool2DOp MAX = new Pool2DOp(true);
    static final Pool2DOp AVERAGE = new Pool2DOp(false);

    private final boolean max;

    private Pool2DOp(boolean max) {
        this.max = max;
    }

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(1, 1);
        op.requireOutputs(1);
        TensorInfo x = op.input(0);
        TensorInfo y = op.output();
        op.requireRank(x, "input", 4);
        op.requireBatchOne(x, "input");
        op.requireActivationTypes(x, y);
        if (!op.op().hasPool()) {
            throw op.error("missing pool options");
        }
        PoolOptions o = op.op().getPool();
        op.requirePositive(o.getKernelH(), "kernel_h");
        op.requirePositive(o.getKernelW(), "kernel_w");
        op.requirePositive(o.getStrideH(), "stride_h");
        op.requirePositive(o.getStrideW(), "stride_w");
        op.requirePadding(o.getPadding());
        if (o.getPadding().getTop() >= o.getKernelH() || o.getPadding().getBottom() >= o.getKernelH()
                || o.getPadding().getLeft() >= o.getKernelW() || o.getPadding().getRight() >= o.getKernelW()) {
            throw op.error("padding must be smaller than the " + o.getKernelH() + "x" + o.getKernelW() + " window");
        }
        int oh = ConvGeometry.outputSize(x.dim(1), o.getKernelH(), o.getStrideH(), 1, o.getPadding().getTop(), o.getPadding().getBottom(), o.getCeilMode());
        int ow = ConvGeometry.outputSize(x.dim(2), o.getKernelW(), o.getStrideW(), 1, o.getPadding().getLeft(), o.getPadding().getRight(), o.getCeilMode());
        if (oh < 1 || ow < 1) {
            throw op.error("window " + o.getKernelH() + "x" + o.getKernelW() + " does not fit input " + x.describe());
        }
        // ceil_mode: some exporters drop a last window that would start in the padding, so either the ceil
        // or the floor size; which sizes a pool may have is ConvGeometry.checkPool's rule, the one the
        // int8 kernels check at prepare (the floor size minus one is not among them, even where floor == ceil).
        boolean ok = y.rank() == 4 && y.dim(0) == 1 && y.dim(3) == x.dim(3)
                && (o.getCeilMode() || (y.dim(1) == oh && y.dim(2) == ow));
        if (!ok) {
            throw op.error("output " + y.describe() + " should be " + TensorInfo.shapeString(new int[] {1, oh, ow, x.dim(3)}));
        }
        try {
            geometry(op).checkPool();
        } catch (IllegalArgumentException e) {
            throw op.error(e.getMessage());
        }
    }

    private static ConvGeometry geometry(OpInfo ctx) {
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

    @Override
    public PreparedOp prepareFloat(OpContext ctx) {
        PoolOptions o = ctx.op().getPool();
        return prepareFloat(ctx, geometry(ctx), max, o.getCountIncludePad(), o.getActivation());
    }

    @Override
    public PreparedOp prepareInt8(OpContext ctx) throws ModelFormatException {
        PoolOptions o = ctx.op().getPool();
        return prepareInt8(ctx, geometry(ctx), max, o.getCountIncludePad(), o.getActivation());
    }

    /** Comparisons and additions only. */
    @Override
    public long macs(OpInfo op) {
        return 0;
    }

    /** A float pool of any window (global pooling uses the whole plane). */
    static PreparedOp prepareFloat(OpContext ctx, ConvGeometry g, boolean max, boolean includePad, FusedActivation activation) {
        TensorStorage s = ctx.storage();
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] out = s.floats(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        float[] range = OpInfo.floatRange(activation);
        float lo = range[0];
        float hi = range[1];
        if (max) {
            if (Int8Kernels.resolve(ctx.int8Implementation()) == Int8Kernels.Implementation.REFERENCE) {
                return () -> MaxPool2DFloat.maxPool(g, in, inOff, lo, hi, out, outOff);
            }
            if (FloatKernels.vector(ctx.int8Implementation())) {
                VectorSupport.Factory v = VectorSupport.factory();
                return () -> v.maxPool2DFloat(g, in, inOff, lo, hi, out, outOff);
            }
            return () -> MaxPool2DFloatFast.maxPool(g, in, inOff, lo, hi, out, outOff);
        }
        if (Int8Kernels.resolve(ctx.int8Implementation()) == Int8Kernels.Implementation.REFERENCE) {
            return () -> AveragePool2DFloat.averagePool(g, includePad, in, inOff, lo, hi, out, outOff);
        }
        // The channels' running sums: this prepared operator's own (an interpreter runs one inference at a time).
        double[] sums = new double[g.outputC];
        return () -> AveragePool2DFloatFast.averagePool(g, includePad, in, inOff, lo, hi, out, outOff, sums);
    }

    /** An int8 pool of any window: the output keeps the input's scale and zero point. */
    static PreparedOp prepareInt8(OpContext ctx, ConvGeometry g, boolean max, boolean countIncludePad,
            FusedActivation activation) throws ModelFormatException {
        TensorInfo x = ctx.input(0);
        TensorInfo y = ctx.output();
        ctx.requirePerTensor(x, "input");
        ctx.requirePerTensor(y, "output");
        ctx.requireSameQuantization(x, y);
        if (!max && countIncludePad && x.zeroPoint() != 0 && (g.padTop + g.padBottom + g.padLeft + g.padRight) > 0) {
            // The kernel counts padded positions in the divisor but adds nothing for them, which is
            // real 0 only when the zero point is 0; the quantizer runs such a pool in float.
            throw ctx.error("int8 average pool with count_include_pad and padding needs input zero point 0, got "
                    + x.zeroPoint());
        }
        ActivationRange range = ctx.activationRange(activation, y);
        PoolParams p = PoolParams.builder()
                .geometry(g)
                .activation(range.min(), range.max())
                .countIncludePad(countIncludePad)
                .build();
        Int8Kernels.Implementation impl = ctx.int8Implementation();
        return ctx.bind(max ? Int8Kernels.maxPool2D(p, impl) : Int8Kernels.averagePool2D(p, impl));
    }
}
