package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.ChannelCopy;
import dev.edgeq.runtime.kernels.int8.ChannelSliceReference;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;

/**
 * SPLIT (outputs of {@code sizes[k]} channels, in order) and SLICE (channels {@code [begin, begin +
 * size)}) along the channel axis; every other dimension and, in int8, the quantization are kept.
 */
final class ChannelSliceOp implements OpRegistration {
    static final ChannelSliceOp SPLIT = new ChannelSliceOp(true);
    static final ChannelSliceOp SLICE = new ChannelSliceOp(false);

    private final boolean split;

    private ChannelSliceOp(boolean split) {
        this.split = split;
    }

    /** {@code {begin, size}} of each output. */
    private int[][] ranges(OpInfo op) {
        if (!split) {
            return new int[][] {{op.op().getSlice().getBegin(), op.op().getSlice().getSize()}};
        }
        int[][] r = new int[op.op().getSplit().getSizesCount()][];
        int begin = 0;
        for (int k = 0; k < r.length; k++) {
            int size = op.op().getSplit().getSizes(k);
            r[k] = new int[] {begin, size};
            begin += size;
        }
        return r;
    }

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(1, 1);
        TensorInfo x = op.input(0);
        int[][] ranges = ranges(op);
        op.requireOutputs(ranges.length);
        int end = 0;
        for (int k = 0; k < ranges.length; k++) {
            int begin = ranges[k][0];
            int size = ranges[k][1];
            if (begin < 0 || size < 1 || begin + size > x.lastDim()) {
                throw op.error("channels [" + begin + ", " + (begin + size) + ") outside input " + x.describe());
            }
            end = begin + size;
            TensorInfo y = op.output(k);
            op.requireActivationTypes(x, y);
            int[] expected = x.shape();
            expected[expected.length - 1] = size;
            op.requireShape(y, "output " + k, expected);
            if (x.type() == DataType.INT8) {
                op.requireSameQuantization(x, y);
            }
        }
        if (split && end != x.lastDim()) {
            throw op.error("split sizes cover " + end + " of the " + x.lastDim() + " channels of input " + x.describe());
        }
    }

    /** One copy per output; {@code reference} selects the int8 oracle loop. */
    private PreparedOp prepare(OpContext ctx, boolean reference) {
        TensorStorage s = ctx.storage();
        TensorInfo x = ctx.input(0);
        int channels = x.lastDim();
        int pixels = x.elementCount() / channels;
        int[][] ranges = ranges(ctx);
        Object in = x.type() == DataType.INT8 ? s.bytes(ctx.inputIndex(0)) : s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        Object[] out = new Object[ranges.length];
        int[] outOff = new int[ranges.length];
        for (int k = 0; k < ranges.length; k++) {
            out[k] = x.type() == DataType.INT8 ? s.bytes(ctx.outputIndex(k)) : s.floats(ctx.outputIndex(k));
            outOff[k] = s.offset(ctx.outputIndex(k));
        }
        if (reference) {
            return () -> {
                for (int k = 0; k < ranges.length; k++) {
                    ChannelSliceReference.eval(pixels, channels, ranges[k][0], ranges[k][1], (byte[]) in, inOff, (byte[]) out[k], outOff[k]);
                }
            };
        }
        return () -> {
            for (int k = 0; k < ranges.length; k++) {
                ChannelCopy.slice(pixels, channels, ranges[k][0], ranges[k][1], in, inOff, out[k], outOff[k]);
            }
        };
    }

    @Override
    public PreparedOp prepareFloat(OpContext ctx) {
        return prepare(ctx, false);
    }

    @Override
    public PreparedOp prepareInt8(OpContext ctx) throws ModelFormatException {
        return prepare(ctx, ctx.int8Implementation() == Int8Kernels.Implementation.REFERENCE);
    }

    /** Moves data only. */
    @Override
    public long macs(OpInfo op) {
        return 0;
    }
}
