package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.format.Operator;
import dev.edgeq.format.Padding;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.PadFloat;

/** PAD: constant spatial padding that the converter could not fuse into the next conv or pool; float only. */
public final class PadOp {
    private PadOp() {}

    static void validate(Checks c, Operator op) throws ModelFormatException {
        c.inputs(1, 1);
        TensorInfo x = c.input(0);
        c.rank(x, "input", 4);
        c.type(x, "input", DataType.FLOAT32);
        c.type(c.output(), "output", DataType.FLOAT32);
        Padding p = op.getPad().getPadding();
        c.padding(p);
        c.outputSpatial(c.output(), x.dim(1) + p.getTop() + p.getBottom(), x.dim(2) + p.getLeft() + p.getRight(), x.dim(3));
    }

    static PreparedOp prepare(OpContext ctx) {
        TensorStorage s = ctx.storage();
        TensorInfo x = ctx.input(0);
        Padding p = ctx.op().getPad().getPadding();
        float value = ctx.op().getPad().getValue();
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] out = s.floats(ctx.outputIndex());
        int outOff = s.offset(ctx.outputIndex());
        int h = x.dim(1);
        int w = x.dim(2);
        int c = x.dim(3);
        return () -> PadFloat.pad(h, w, c, p.getTop(), p.getLeft(), p.getBottom(), p.getRight(), value, in, inOff, out, outOff);
    }
}
