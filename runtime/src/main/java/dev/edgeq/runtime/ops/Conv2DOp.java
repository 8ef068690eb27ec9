package dev.edgeq.runtime.ops;

import dev.edgeq.format.ConvOptions;
import dev.edgeq.format.DataType;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.float32.Conv2DFloat;
import dev.edgeq.runtime.kernels.float32.FloatKernels;
import dev.edgeq.runtime.kernels.int8.ConvParams;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.quant.ActivationRange;

/**
 * CONV_2D: inputs x [1,H,W,C], weights OHWI [O,KH,KW,C/groups], optional bias [O]; with
 * {@code ConvOptions.groups} g > 1 a grouped convolution (output channel o reads group o / (O/g)).
 */
final class Conv2DOp implements OpRegistration {

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
        int groups = groups(op);
        if (op.op().hasConv() && op.op().getConv().getGroups() < 0) {
            throw op.error("groups " + op.op().getConv().getGroups() + " is negative");
        }
        if (w.dim(3) * groups != x.dim(3) || w.dim(0) % groups != 0) {
            throw op.error("weights " + w.describe() + " in " + groups + " group(s) expect " + w.dim(3) * groups
                    + " input channels and a multiple of " + groups + " outputs, input " + x.describe() + " has " + x.dim(3));
        }
        validateCommon(op, w.dim(0), w.dim(1), w.dim(2));
    }

    /** Options, bias, types and output shape checks shared with depthwise convolution. */
    static void validateCommon(OpInfo op, int outC, int kh, int kw) throws ModelFormatException {
        if (!op.op().hasConv()) {
            throw op.error("missing conv options");
        }
        TensorInfo x = op.input(0);
        TensorInfo w = op.input(1);
        TensorInfo b = op.input(2);
        ConvOptions o = op.op().getConv();
        op.requirePositive(o.getStrideH(), "stride_h");
        op.requirePositive(o.getStrideW(), "stride_w");
        op.requirePositive(o.getDilationH(), "dilation_h");
        op.requirePositive(o.getDilationW(), "dilation_w");
        op.requirePadding(o.getPadding());
        TensorInfo y = op.output();
        op.requireActivationTypes(x, y);
        boolean int8 = x.type() == DataType.INT8;
        op.requireType(w, "weights", int8 ? DataType.INT8 : DataType.FLOAT32);
        if (b != null) {
            op.requireConstant(b, "bias");
            op.requireShape(b, "bias", outC);
            op.requireType(b, "bias", int8 ? DataType.INT32 : DataType.FLOAT32);
        }
        int oh = ConvGeometry.outputSize(x.dim(1), kh, o.getStrideH(), o.getDilationH(), o.getPadding().getTop(), o.getPadding().getBottom(), false);
        int ow = ConvGeometry.outputSize(x.dim(2), kw, o.getStrideW(), o.getDilationW(), o.getPadding().getLeft(), o.getPadding().getRight(), false);
        if (oh < 1 || ow < 1) {
            throw op.error("kernel " + kh + "x" + kw + " does not fit input " + x.describe() + " with the given padding and dilation");
        }
        op.requireOutputSpatial(y, oh, ow, outC);
    }

    @Override
    public PreparedOp prepareFloat(OpContext ctx) throws ModelFormatException {
        if (!FloatKernels.vector(ctx.int8Implementation())) {
            return prepareFloat(ctx, Conv2DFloat::conv);
        }
        TensorStorage s = ctx.storage();
        float[] w = s.floats(ctx.inputIndex(1));
        float[] bias = ctx.hasInput(2) ? s.floats(ctx.inputIndex(2)) : null;
        float[] range = OpInfo.floatRange(ctx.op().getConv().getActivation());
        return byOutputRows(ctx, geometry(ctx), (g, inSkip, outSkip) ->
                ctx.bind(FloatKernels.conv2D(g, w, bias, range[0], range[1], ctx.int8Implementation()), inSkip, outSkip));
    }

    /** The signature of the float (depthwise) convolution kernels. */
    interface FloatKernel {
        void conv(ConvGeometry g, float[] in, int inOff, float[] weights, float[] bias, float lo, float hi,
                float[] out, int outOff);
    }

    /** Binds a float (depthwise) convolution kernel to the operator's tensors and fused activation. */
    static PreparedOp prepareFloat(OpContext ctx, FloatKernel kernel) throws ModelFormatException {
        TensorStorage s = ctx.storage();
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] w = s.floats(ctx.inputIndex(1));
        float[] bias = ctx.hasInput(2) ? s.floats(ctx.inputIndex(2)) : null;
        float[] out = s.floats(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        float[] range = OpInfo.floatRange(ctx.op().getConv().getActivation());
        float lo = range[0];
        float hi = range[1];
        return byOutputRows(ctx, geometry(ctx), (g, inSkip, outSkip) ->
                () -> kernel.conv(g, in, inOff + inSkip, w, bias, lo, hi, out, outOff + outSkip));
    }

    @Override
    public PreparedOp prepareInt8(OpContext ctx) throws ModelFormatException {
        int[] bias = ctx.hasInput(2) ? ctx.input(2).int32Data() : null;
        byte[] w = ctx.input(1).int8Data();
        return byOutputRows(ctx, geometry(ctx), (g, inSkip, outSkip) -> ctx.bind(
                Int8Kernels.conv2D(int8Params(ctx, g, 0), w, 0, bias, 0, ctx.int8Implementation()), inSkip, outSkip));
    }

    /** Prepares the (depthwise) convolution of some output rows, reading and writing from the given element skips. */
    interface RowPartition {
        PreparedOp prepare(ConvGeometry rows, int inputSkip, int outputSkip) throws ModelFormatException;
    }

    /** Fewest multiply-accumulates worth a partition of their own (below, the hand-off costs more than it saves). */
    static final long MIN_MACS_PER_PARTITION = 1 << 16;

    /**
     * The operator as one partition per thread, each computing a band of output rows (disjoint
     * output, identical arithmetic per output value), or as one partition on one thread and for
     * convolutions too small to share.
     */
    static PreparedOp byOutputRows(OpContext ctx, ConvGeometry g, RowPartition partition) throws ModelFormatException {
        boolean depthwise = ctx.type() == dev.edgeq.format.OpType.DEPTHWISE_CONV_2D;
        long macs = depthwise ? g.depthwiseMacs() : g.convMacs();
        int n = (int) Math.min(Math.min(ctx.threads(), g.outputH), Math.max(1, macs / MIN_MACS_PER_PARTITION));
        if (n > 1) {
            PreparedOp[] parts = new PreparedOp[n];
            for (int i = 0; i < n; i++) {
                int from = (int) ((long) g.outputH * i / n);
                int to = (int) ((long) g.outputH * (i + 1) / n);
                ConvGeometry rows = g.outputRows(from, to);
                if (rows == null) {
                    return partition.prepare(g, 0, 0);
                }
                parts[i] = partition.prepare(rows, g.firstInputRow(from) * g.inputW * g.inputC, from * g.outputW * g.outputC);
            }
            return ctx.parallel(parts);
        }
        return partition.prepare(g, 0, 0);
    }

    /** Output pixels times the taps of one output value: O*OH*OW * KH*KW*C. */
    @Override
    public long macs(OpInfo op) {
        TensorInfo w = op.input(1);
        return (long) op.output().elementCount() * w.dim(1) * w.dim(2) * w.dim(3);
    }

    /** Channel groups of a CONV_2D (0 in the file, as written before format 1.1, means 1). */
    static int groups(OpInfo op) {
        return Math.max(1, op.op().getConv().getGroups());
    }

    /** The geometry of a (depthwise) convolution from its tensors and options. */
    static ConvGeometry geometry(OpContext ctx) {
        ConvOptions o = ctx.op().getConv();
        TensorInfo x = ctx.input(0);
        TensorInfo w = ctx.input(1);
        TensorInfo y = ctx.output();
        boolean depthwise = ctx.type() == dev.edgeq.format.OpType.DEPTHWISE_CONV_2D;
        return ConvGeometry.builder()
                .input(x.dim(1), x.dim(2), x.dim(3))
                .output(y.dim(1), y.dim(2), y.dim(3))
                .kernel(w.dim(1), w.dim(2))
                .stride(o.getStrideH(), o.getStrideW())
                .dilation(o.getDilationH(), o.getDilationW())
                .padding(o.getPadding().getTop(), o.getPadding().getLeft(), o.getPadding().getBottom(), o.getPadding().getRight())
                .depthMultiplier(depthwise ? y.dim(3) / x.dim(3) : 1)
                .groups(depthwise ? 1 : groups(ctx))
                .build();
    }

    /** Int8 parameters of a (depthwise) convolution whose weights are quantized along {@code channelAxis}. */
    static ConvParams int8Params(OpContext ctx, ConvGeometry g, int channelAxis) throws ModelFormatException {
        TensorInfo x = ctx.input(0);
        TensorInfo y = ctx.output();
        ctx.requirePerTensor(x, "input");
        ctx.requirePerTensor(y, "output");
        int[][] requant = ctx.perChannelMultipliers(x, ctx.input(1), y, g.outputC, channelAxis);
        ctx.requireBiasZeroPoint();
        ActivationRange range = ctx.activationRange(ctx.op().getConv().getActivation(), y);
        return ConvParams.builder()
                .geometry(g)
                .offsets(-x.zeroPoint(), y.zeroPoint())
                .activation(range.min(), range.max())
                .perChannel(requant[0], requant[1])
                .build();
    }
}
