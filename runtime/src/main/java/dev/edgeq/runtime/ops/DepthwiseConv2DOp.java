package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.format.Operator;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.float32.DepthwiseConv2DFloat;

/** DEPTHWISE_CONV_2D: x [1,H,W,C], weights [1,KH,KW,O] with O = C * depth_multiplier, optional bias [O]. */
public final class DepthwiseConv2DOp {
    private DepthwiseConv2DOp() {}

    static void validate(Checks c, Operator op) throws ModelFormatException {
        c.inputs(2, 3);
        TensorInfo x = c.input(0);
        TensorInfo w = c.input(1);
        c.rank(x, "input", 4);
        c.batchOne(x, "input");
        c.rank(w, "weights", 4);
        c.constant(w, "weights");
        if (w.dim(0) != 1) {
            throw c.error("depthwise weights " + w.describe() + " must be [1,KH,KW,O]");
        }
        int outC = w.dim(3);
        int multiplier = op.hasConv() ? op.getConv().getDepthMultiplier() : 0;
        if (multiplier < 1 || outC != x.dim(3) * multiplier) {
            throw c.error("depthwise weights " + w.describe() + " have " + outC + " channels; input " + x.describe()
                    + " with depth_multiplier " + multiplier + " needs " + (x.dim(3) * Math.max(multiplier, 1)));
        }
        Conv2DOp.checkCommon(c, op, x, w, c.input(2), outC, w.dim(1), w.dim(2));
    }

    static PreparedOp prepare(OpContext ctx) throws ModelFormatException {
        ConvGeometry g = Conv2DOp.geometry(ctx);
        if (ctx.input(0).type() == DataType.INT8) {
            return Int8Ops.depthwiseConv2D(ctx, g);
        }
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
        return () -> DepthwiseConv2DFloat.conv(g, in, inOff, w, bias, lo, hi, out, outOff);
    }
}
