package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.FloatKernels;
import dev.edgeq.runtime.kernels.int8.FullyConnectedParams;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.quant.ActivationRange;
import java.util.Arrays;

/** FULLY_CONNECTED: x read flat (NHWC order), weights [O][N], optional bias [O]; output [1,O]. */
final class FullyConnectedOp implements OpRegistration {

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(2, 3);
        op.requireOutputs(1);
        TensorInfo x = op.input(0);
        TensorInfo w = op.input(1);
        TensorInfo b = op.input(2);
        TensorInfo y = op.output();
        op.requireRank(w, "weights", 2);
        op.requireConstant(w, "weights");
        op.requireActivationTypes(x, y);
        boolean int8 = x.type() == DataType.INT8;
        op.requireType(w, "weights", int8 ? DataType.INT8 : DataType.FLOAT32);
        if (w.dim(1) != x.elementCount()) {
            throw op.error("weights " + w.describe() + " take " + w.dim(1) + " inputs, input " + x.describe() + " has " + x.elementCount());
        }
        if (y.elementCount() != w.dim(0) || y.dim(0) != 1) {
            throw op.error("output " + y.describe() + " should be [1x" + w.dim(0) + "]");
        }
        if (b != null) {
            op.requireConstant(b, "bias");
            op.requireShape(b, "bias", w.dim(0));
            op.requireType(b, "bias", int8 ? DataType.INT32 : DataType.FLOAT32);
        }
    }

    @Override
    public PreparedOp prepareFloat(OpContext ctx) throws ModelFormatException {
        TensorStorage s = ctx.storage();
        int inputs = ctx.input(1).dim(1);
        int outputs = ctx.input(1).dim(0);
        float[] w = s.floats(ctx.inputIndex(1));
        float[] bias = ctx.hasInput(2) ? s.floats(ctx.inputIndex(2)) : null;
        float[] range = OpInfo.floatRange(ctx.op().getFullyConnected().getActivation());
        return byOutputBlocks(ctx, inputs, outputs, (from, to) -> ctx.bind(
                FloatKernels.fullyConnected(inputs, to - from, from, w, bias, range[0], range[1], ctx.int8Implementation()), 0, from));
    }

    /** Prepares the outputs {@code [from, to)} of a fully connected layer. */
    interface OutputPartition {
        PreparedOp prepare(int from, int to) throws ModelFormatException;
    }

    /** Partition boundaries are multiples of this many outputs, so that kernels blocking outputs keep their blocks. */
    private static final int OUTPUT_ALIGNMENT = 16;

    /**
     * One partition per thread, each computing a block of outputs (disjoint output, identical
     * arithmetic per output value); one partition on one thread and for layers too small to share.
     */
    private static PreparedOp byOutputBlocks(OpContext ctx, int inputs, int outputs, OutputPartition partition)
            throws ModelFormatException {
        long macs = (long) inputs * outputs;
        int blocks = (outputs + OUTPUT_ALIGNMENT - 1) / OUTPUT_ALIGNMENT;
        int n = (int) Math.min(Math.min(ctx.threads(), blocks), Math.max(1, macs / Conv2DOp.MIN_MACS_PER_PARTITION));
        if (n <= 1) {
            return partition.prepare(0, outputs);
        }
        PreparedOp[] parts = new PreparedOp[n];
        for (int i = 0; i < n; i++) {
            int from = (int) ((long) blocks * i / n) * OUTPUT_ALIGNMENT;
            int to = Math.min(outputs, (int) ((long) blocks * (i + 1) / n) * OUTPUT_ALIGNMENT);
            parts[i] = partition.prepare(from, to);
        }
        return ctx.parallel(parts);
    }

    @Override
    public PreparedOp prepareInt8(OpContext ctx) throws ModelFormatException {
        TensorInfo x = ctx.input(0);
        TensorInfo w = ctx.input(1);
        TensorInfo y = ctx.output();
        ctx.requirePerTensor(x, "input");
        ctx.requirePerTensor(y, "output");
        int outputs = w.dim(0);
        int[][] requant = ctx.perChannelMultipliers(x, w, y, outputs, 0);
        ctx.requireBiasZeroPoint();
        ActivationRange range = ctx.activationRange(ctx.op().getFullyConnected().getActivation(), y);
        int inputs = w.dim(1);
        int[] bias = ctx.hasInput(2) ? ctx.input(2).int32Data() : null;
        byte[] weights = w.int8Data();
        return byOutputBlocks(ctx, inputs, outputs, (from, to) -> {
            FullyConnectedParams p = FullyConnectedParams.perChannel(1, inputs, to - from, -x.zeroPoint(), 0,
                    y.zeroPoint(), range.min(), range.max(), Arrays.copyOfRange(requant[0], from, to),
                    Arrays.copyOfRange(requant[1], from, to));
            return ctx.bind(Int8Kernels.fullyConnected(p, weights, from * inputs, bias, from, ctx.int8Implementation()), 0, from);
        });
    }

    /** One multiply-accumulate per weight. */
    @Override
    public long macs(OpInfo op) {
        TensorInfo w = op.input(1);
        return (long) w.dim(0) * w.dim(1);
    }
}
