package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.ChannelCopy;
import dev.edgeq.runtime.kernels.float32.PermuteChannelsFloat;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.kernels.int8.PermuteChannelsFast;
import dev.edgeq.runtime.kernels.int8.PermuteChannelsReference;

/** PERMUTE_CHANNELS: output channel c is input channel permutation[c] (a channel shuffle); shape and quantization kept. */
final class PermuteChannelsOp implements OpRegistration {

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(1, 1);
        op.requireOutputs(1);
        TensorInfo x = op.input(0);
        TensorInfo y = op.output();
        op.requireActivationTypes(x, y);
        op.requireSameShape(x, y);
        if (x.type() == DataType.INT8) {
            op.requireSameQuantization(x, y);
        }
        int[] perm = permutation(op);
        if (perm.length != x.lastDim()) {
            throw op.error("permutation of " + perm.length + " channels for input " + x.describe());
        }
        ChannelCopy.checkPermutation(perm);
    }

    private static int[] permutation(OpInfo op) {
        return op.op().getPermuteChannels().getPermutationList().stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public PreparedOp prepareFloat(OpContext ctx) {
        TensorStorage s = ctx.storage();
        int[] perm = permutation(ctx);
        int pixels = ctx.input(0).elementCount() / perm.length;
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] out = s.floats(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        return () -> PermuteChannelsFloat.eval(pixels, perm, in, inOff, out, outOff);
    }

    @Override
    public PreparedOp prepareInt8(OpContext ctx) throws ModelFormatException {
        TensorStorage s = ctx.storage();
        int[] perm = permutation(ctx);
        int pixels = ctx.input(0).elementCount() / perm.length;
        byte[] in = s.bytes(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        byte[] out = s.bytes(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        if (ctx.int8Implementation() == Int8Kernels.Implementation.REFERENCE) {
            return () -> PermuteChannelsReference.eval(pixels, perm, in, inOff, out, outOff);
        }
        PermuteChannelsFast fast = PermuteChannelsFast.prepare(perm);
        return () -> fast.eval(pixels, in, inOff, out, outOff);
    }

    /** Moves data only. */
    @Override
    public long macs(OpInfo op) {
        return 0;
    }
}
