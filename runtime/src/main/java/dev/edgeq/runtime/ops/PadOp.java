package dev.edgeq.runtime.ops;

import dev.edgeq.format.Padding;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.PadFloat;

/** PAD: constant spatial padding that the converter could not fuse into the next conv or pool; float only. */
final class PadOp extends FloatOnlyOp {

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(1, 1);
        op.requireOutputs(1);
        TensorInfo x = op.input(0);
        op.requireRank(x, "input", 4);
        op.requireFloat(x, op.output());
        Padding p = op.op().getPad().getPadding();
        op.requirePadding(p);
        op.requireOutputSpatial(op.output(), x.dim(1) + p.getTop() + p.getBottom(), x.dim(2) + p.getLeft() + p.getRight(), x.dim(3));
    }

    @Override
    public PreparedOp prepareFloat(OpContext ctx) {
        TensorStorage s = ctx.storage();
        TensorInfo x = ctx.input(0);
        Padding p = ctx.op().getPad().getPadding();
        float value = ctx.op().getPad().getValue();
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] out = s.floats(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        int h = x.dim(1);
        int w = x.dim(2);
        int c = x.dim(3);
        return () -> PadFloat.pad(h, w, c, p.getTop(), p.getLeft(), p.getBottom(), p.getRight(), value, in, inOff, out, outOff);
    }

    /** Moves data only. */
    @Override
    public long macs(OpInfo op) {
        return 0;
    }
}
