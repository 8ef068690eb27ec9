package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.ElementwiseFloat;

/**
 * Standalone RELU, CLIP, LEAKY_RELU and SIGMOID (activations the converter could not fuse into
 * the operator before them). Float only: an int8 model runs them between DEQUANTIZE and QUANTIZE.
 */
public final class ActivationOp {
    private ActivationOp() {}

    static void validate(Checks c, Operator op) throws ModelFormatException {
        c.inputs(1, 1);
        TensorInfo x = c.input(0);
        c.type(x, "input", DataType.FLOAT32);
        c.type(c.output(), "output", DataType.FLOAT32);
        c.sameCount(x, c.output());
        if (op.getType() == OpType.CLIP && !(op.getClip().getMin() <= op.getClip().getMax())) {
            throw c.error("clip range [" + op.getClip().getMin() + ", " + op.getClip().getMax() + "] is empty");
        }
    }

    static PreparedOp prepare(OpContext ctx) {
        TensorStorage s = ctx.storage();
        int n = ctx.input(0).elementCount();
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] out = s.floats(ctx.outputIndex());
        int outOff = s.offset(ctx.outputIndex());
        Operator op = ctx.op();
        switch (op.getType()) {
            case RELU:
                return () -> ElementwiseFloat.clamp(n, in, inOff, 0f, Float.POSITIVE_INFINITY, out, outOff);
            case CLIP: {
                float lo = op.getClip().getMin();
                float hi = op.getClip().getMax();
                return () -> ElementwiseFloat.clamp(n, in, inOff, lo, hi, out, outOff);
            }
            case LEAKY_RELU: {
                float alpha = op.getLeakyRelu().getAlpha();
                return () -> ElementwiseFloat.leakyRelu(n, alpha, in, inOff, out, outOff);
            }
            default:
                return () -> ElementwiseFloat.sigmoid(n, in, inOff, out, outOff);
        }
    }
}
