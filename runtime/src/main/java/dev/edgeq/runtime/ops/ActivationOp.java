package dev.edgeq.runtime.ops;

import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.ElementwiseFloat;

/**
 * Standalone RELU, CLIP and LEAKY_RELU (activations the converter could not fuse into the operator
 * before them; SIGMOID and the other table activations are {@link TableActivationOp}). Float only:
 * an int8 model runs them between DEQUANTIZE and QUANTIZE.
 */
final class ActivationOp extends FloatOnlyOp {
    /** An element-wise float kernel with its options already read. */
    private interface Kernel {
        void run(int n, float[] in, int inOff, float[] out, int outOff);
    }

    /** Reads the operator's options into a kernel, once, at prepare. */
    private interface KernelFactory {
        Kernel of(Operator op);
    }

    static final ActivationOp RELU = new ActivationOp(
            op -> (n, in, inOff, out, outOff) -> ElementwiseFloat.clamp(n, in, inOff, 0f, Float.POSITIVE_INFINITY, out, outOff));
    static final ActivationOp CLIP = new ActivationOp(op -> {
        float lo = op.getClip().getMin();
        float hi = op.getClip().getMax();
        return (n, in, inOff, out, outOff) -> ElementwiseFloat.clamp(n, in, inOff, lo, hi, out, outOff);
    });
    static final ActivationOp LEAKY_RELU = new ActivationOp(op -> {
        float alpha = op.getLeakyRelu().getAlpha();
        return (n, in, inOff, out, outOff) -> ElementwiseFloat.leakyRelu(n, alpha, in, inOff, out, outOff);
    });

    private final KernelFactory factory;

    private ActivationOp(KernelFactory factory) {
        this.factory = factory;
    }

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(1, 1);
        op.requireOutputs(1);
        TensorInfo x = op.input(0);
        op.requireFloat(x, op.output());
        op.requireSameCount(x, op.output());
        Operator o = op.op();
        if (o.getType() == OpType.CLIP && !(o.getClip().getMin() <= o.getClip().getMax())) {
            throw op.error("clip range [" + o.getClip().getMin() + ", " + o.getClip().getMax() + "] is empty");
        }
    }

    @Override
    public PreparedOp prepareFloat(OpContext ctx) {
        TensorStorage s = ctx.storage();
        int n = ctx.input(0).elementCount();
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] out = s.floats(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        Kernel kernel = factory.of(ctx.op());
        return () -> kernel.run(n, in, inOff, out, outOff);
    }

    /** Comparisons or a function per element, no multiply-accumulate. */
    @Override
    public long macs(OpInfo op) {
        return 0;
    }
}
