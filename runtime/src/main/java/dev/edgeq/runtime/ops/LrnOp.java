package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.format.LrnOptions;
import dev.edgeq.format.Operator;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.LrnFloat;

/** LRN across channels (AlexNet's normalization layers); float only. */
public final class LrnOp {
    private LrnOp() {}

    static void validate(Checks c, Operator op) throws ModelFormatException {
        c.inputs(1, 1);
        c.type(c.input(0), "input", DataType.FLOAT32);
        c.type(c.output(), "output", DataType.FLOAT32);
        c.sameCount(c.input(0), c.output());
        c.positive(op.getLrn().getSize(), "size");
    }

    static PreparedOp prepare(OpContext ctx) {
        TensorStorage s = ctx.storage();
        TensorInfo x = ctx.input(0);
        int channels = x.lastDim();
        int pixels = x.elementCount() / channels;
        LrnOptions o = ctx.op().getLrn();
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] out = s.floats(ctx.outputIndex());
        int outOff = s.offset(ctx.outputIndex());
        return () -> LrnFloat.lrn(pixels, channels, o.getSize(), o.getAlpha(), o.getBeta(), o.getBias(), in, inOff, out, outOff);
    }
}
