package dev.edgeq.runtime.ops;

import dev.edgeq.format.ConvOptions;
import dev.edgeq.format.DataType;
import dev.edgeq.format.Operator;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.float32.Conv2DFloat;

/** CONV_2D: inputs x [1,H,W,C], weights OHWI [O,KH,KW,C], optional bias [O]. */
public final class Conv2DOp {
    private Conv2DOp() {}

    static void validate(Checks c, Operator op) throws ModelFormatException {
        c.inputs(2, 3);
        TensorInfo x = c.input(0);
        TensorInfo w = c.input(1);
        TensorInfo b = c.input(2);
        c.rank(x, "input", 4);
        c.batchOne(x, "input");
        c.rank(w, "weights", 4);
        c.constant(w, "weights");
        if (w.dim(3) != x.dim(3)) {
            throw c.error("weights " + w.describe() + " expect " + w.dim(3) + " input channels, input " + x.describe() + " has " + x.dim(3));
        }
        checkCommon(c, op, x, w, b, w.dim(0), w.dim(1), w.dim(2));
    }

    /** Options, bias, types and output shape checks shared with depthwise convolution. */
    static void checkCommon(Checks c, Operator op, TensorInfo x, TensorInfo w, TensorInfo b, int outC, int kh, int kw)
            throws ModelFormatException {
        if (!op.hasConv()) {
            throw c.error("missing conv options");
        }
        ConvOptions o = op.getConv();
        c.positive(o.getStrideH(), "stride_h");
        c.positive(o.getStrideW(), "stride_w");
        c.positive(o.getDilationH(), "dilation_h");
        c.positive(o.getDilationW(), "dilation_w");
        c.padding(o.getPadding());
        TensorInfo y = c.output();
        c.activationTypes(x, y);
        if (x.type() == DataType.INT8) {
            c.type(w, "weights", DataType.INT8);
        } else {
            c.type(w, "weights", DataType.FLOAT32);
        }
        if (b != null) {
            c.constant(b, "bias");
            c.shape(b, "bias", outC);
            c.type(b, "bias", x.type() == DataType.INT8 ? DataType.INT32 : DataType.FLOAT32);
        }
        int oh = ConvGeometry.outputSize(x.dim(1), kh, o.getStrideH(), o.getDilationH(), o.getPadding().getTop(), o.getPadding().getBottom(), false);
        int ow = ConvGeometry.outputSize(x.dim(2), kw, o.getStrideW(), o.getDilationW(), o.getPadding().getLeft(), o.getPadding().getRight(), false);
        if (oh < 1 || ow < 1) {
            throw c.error("kernel " + kh + "x" + kw + " does not fit input " + x.describe() + " with the given padding and dilation");
        }
        c.outputSpatial(y, oh, ow, outC);
    }

    static ConvGeometry geometry(OpContext ctx) {
        ConvOptions o = ctx.op().getConv();
        TensorInfo x = ctx.input(0);
        TensorInfo w = ctx.input(1);
        TensorInfo y = ctx.output();
        boolean depthwise = ctx.op().getType() == dev.edgeq.format.OpType.DEPTHWISE_CONV_2D;
        return ConvGeometry.builder()
                .input(x.dim(1), x.dim(2), x.dim(3))
                .output(y.dim(1), y.dim(2), y.dim(3))
                .kernel(w.dim(1), w.dim(2))
                .stride(o.getStrideH(), o.getStrideW())
                .dilation(o.getDilationH(), o.getDilationW())
                .padding(o.getPadding().getTop(), o.getPadding().getLeft(), o.getPadding().getBottom(), o.getPadding().getRight())
                .depthMultiplier(depthwise ? y.dim(3) / x.dim(3) : 1)
                .build();
    }

    static PreparedOp prepare(OpContext ctx) throws ModelFormatException {
        if (ctx.input(0).type() == DataType.INT8) {
            return Int8Ops.conv2D(ctx, geometry(ctx));
        }
        ConvGeometry g = geometry(ctx);
        TensorStorage s = ctx.storage();
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] w = s.floats(ctx.inputIndex(1));
        float[] bias = ctx.hasInput(2) ? s.floats(ctx.inputIndex(2)) : null;
        float[] out = s.floats(ctx.outputIndex());
        int outOff = s.offset(ctx.outputIndex());
        float[] range = OpContext.floatRange(ctx.op().getConv().getActivation());
        float lo = range[0];
        float hi = range[1];
        return () -> Conv2DFloat.conv(g, in, inOff, w, bias, lo, hi, out, outOff);
    }
}
