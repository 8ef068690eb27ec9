package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.runtime.ModelFormatException;

/** RESHAPE: same elements, same order, new shape. A copy (a few hundred bytes in practice). */
public final class ReshapeOp {
    private ReshapeOp() {}

    static void validate(Checks c) throws ModelFormatException {
        c.inputs(1, 2);
        c.sameCount(c.input(0), c.output());
        if (c.input(0).type() != c.output().type()) {
            throw c.error("output " + c.output().describe() + " and input " + c.input(0).describe() + " differ in type");
        }
        if (c.input(0).type() == DataType.INT8
                && (c.input(0).scale() != c.output().scale() || c.input(0).zeroPoint() != c.output().zeroPoint())) {
            throw c.error("int8 reshape must keep the quantization of its input");
        }
    }

    static PreparedOp prepare(OpContext ctx) {
        TensorStorage s = ctx.storage();
        int n = ctx.input(0).elementCount();
        int in = ctx.inputIndex(0);
        int out = ctx.outputIndex();
        int inOff = s.offset(in);
        int outOff = s.offset(out);
        if (ctx.input(0).type() == DataType.INT8) {
            byte[] src = s.bytes(in);
            byte[] dst = s.bytes(out);
            return () -> System.arraycopy(src, inOff, dst, outOff, n);
        }
        float[] src = s.floats(in);
        float[] dst = s.floats(out);
        return () -> System.arraycopy(src, inOff, dst, outOff, n);
    }
}
