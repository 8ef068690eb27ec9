package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.ConcatFloat;
import dev.edgeq.runtime.kernels.int8.ConcatFast;
import dev.edgeq.runtime.kernels.int8.ConcatParams;
import dev.edgeq.runtime.kernels.int8.ConcatReference;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;

/**
 * CONCATENATION along the channel (last) axis of any number of inputs that agree on every other
 * dimension. int8: an input with the output's scale and zero point is copied, another requantized.
 */
final class ConcatenationOp implements OpRegistration {

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(1, Integer.MAX_VALUE);
        op.requireOutputs(1);
        TensorInfo y = op.output();
        int channels = 0;
        for (int k = 0; k < op.inputCount(); k++) {
            TensorInfo x = op.input(k);
            if (x == null) {
                throw op.error("input " + k + " is missing");
            }
            op.requireActivationTypes(x, y);
            if (x.rank() != y.rank()) {
                throw op.error("input " + k + " " + x.describe() + " and output " + y.describe() + " differ in rank");
            }
            for (int d = 0; d < y.rank() - 1; d++) {
                if (x.dim(d) != y.dim(d)) {
                    throw op.error("input " + k + " " + x.describe() + " differs from output " + y.describe() + " in dimension "
                            + d + " (only the channel axis may differ)");
                }
            }
            channels += x.lastDim();
        }
        if (channels != y.lastDim()) {
            throw op.error("inputs have " + channels + " channels in all, output " + y.describe() + " has " + y.lastDim());
        }
    }

    private static int[] channels(OpInfo op) {
        int[] c = new int[op.inputCount()];
        for (int k = 0; k < c.length; k++) {
            c[k] = op.input(k).lastDim();
        }
        return c;
    }

    private static int pixels(OpInfo op) {
        return op.output().elementCount() / op.output().lastDim();
    }

    private static int[] inputOffsets(OpContext ctx) {
        int[] offsets = new int[ctx.inputCount()];
        for (int k = 0; k < offsets.length; k++) {
            offsets[k] = ctx.storage().offset(ctx.inputIndex(k));
        }
        return offsets;
    }

    @Override
    public PreparedOp prepareFloat(OpContext ctx) {
        TensorStorage s = ctx.storage();
        float[][] in = new float[ctx.inputCount()][];
        for (int k = 0; k < in.length; k++) {
            in[k] = s.floats(ctx.inputIndex(k));
        }
        int[] inOff = inputOffsets(ctx);
        int[] channels = channels(ctx);
        int pixels = pixels(ctx);
        float[] out = s.floats(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        return () -> ConcatFloat.eval(pixels, channels, in, inOff, out, outOff);
    }

    @Override
    public PreparedOp prepareInt8(OpContext ctx) throws ModelFormatException {
        TensorInfo y = ctx.output();
        ctx.requirePerTensor(y, "output");
        int n = ctx.inputCount();
        float[] scales = new float[n];
        int[] zeroPoints = new int[n];
        byte[][] in = new byte[n][];
        for (int k = 0; k < n; k++) {
            TensorInfo x = ctx.input(k);
            ctx.requirePerTensor(x, "input " + k);
            ctx.requireType(x, "input " + k, DataType.INT8);
            scales[k] = x.scale();
            zeroPoints[k] = x.zeroPoint();
            in[k] = ctx.storage().bytes(ctx.inputIndex(k));
        }
        ConcatParams p = ConcatParams.fromScales(pixels(ctx), channels(ctx), scales, zeroPoints, y.scale(), y.zeroPoint());
        int[] inOff = inputOffsets(ctx);
        byte[] out = ctx.storage().bytes(ctx.outputIndex(0));
        int outOff = ctx.storage().offset(ctx.outputIndex(0));
        if (ctx.int8Implementation() == Int8Kernels.Implementation.REFERENCE) {
            return () -> ConcatReference.eval(p, in, inOff, out, outOff);
        }
        ConcatFast fast = ConcatFast.prepare(p);
        return () -> fast.eval(in, inOff, out, outOff);
    }

    /** Moves (and at most looks up) data only. */
    @Override
    public long macs(OpInfo op) {
        return 0;
    }
}
