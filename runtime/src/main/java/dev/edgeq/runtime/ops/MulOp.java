package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.ElementwiseFloat;
import java.util.Arrays;

/** MUL: x times a constant [C] broadcast over the last axis (the scale of a BatchNorm that had no conv to fold into). */
public final class MulOp {
    private MulOp() {}

    static void validate(Checks c) throws ModelFormatException {
        c.inputs(2, 2);
        TensorInfo a = c.input(0);
        TensorInfo b = c.input(1);
        c.type(a, "input", DataType.FLOAT32);
        c.type(c.output(), "output", DataType.FLOAT32);
        c.constant(b, "scale");
        c.shape(b, "scale", a.lastDim());
        if (!Arrays.equals(a.shape(), c.output().shape())) {
            throw c.error("output " + c.output().describe() + " should have the shape of input " + a.describe());
        }
    }

    static PreparedOp prepare(OpContext ctx) {
        TensorStorage s = ctx.storage();
        TensorInfo a = ctx.input(0);
        int n = a.elementCount();
        int channels = a.lastDim();
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] scale = s.floats(ctx.inputIndex(1));
        float[] out = s.floats(ctx.outputIndex());
        int outOff = s.offset(ctx.outputIndex());
        return () -> ElementwiseFloat.mulPerChannel(n, channels, in, inOff, scale, out, outOff);
    }
}
