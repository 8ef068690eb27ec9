package dev.edgeq.runtime.ops;

import dev.edgeq.format.LrnOptions;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.LrnFloat;

/** LRN across channels (AlexNet's normalization layers); float only. */
final class LrnOp extends FloatOnlyOp {

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(1, 1);
        op.requireOutputs(1);
        op.requireFloat(op.input(0), op.output());
        op.requireSameCount(op.input(0), op.output());
        op.requirePositive(op.op().getLrn().getSize(), "size");
    }

    @Override
    public PreparedOp prepareFloat(OpContext ctx) {
        TensorStorage s = ctx.storage();
        TensorInfo x = ctx.input(0);
        int channels = x.lastDim();
        int pixels = x.elementCount() / channels;
        LrnOptions o = ctx.op().getLrn();
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] out = s.floats(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        return () -> LrnFloat.lrn(pixels, channels, o.getSize(), o.getAlpha(), o.getBeta(), o.getBias(), in, inOff, out, outOff);
    }

    /** A sum of squares over {@code size} channels per element (the inspector's convention: not counted). */
    @Override
    public long macs(OpInfo op) {
        return 0;
    }
}
