package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.PReluFloat;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.kernels.int8.PReluFast;
import dev.edgeq.runtime.kernels.int8.PReluParams;
import dev.edgeq.runtime.kernels.int8.PReluReference;

/**
 * PRELU: inputs x [..., C] and a constant slope of C values. In an int8 model the slope is INT8
 * per tensor, or FLOAT32 and quantized here, symmetric per tensor (scale max|slope| / 127), as
 * TFLite's Prelu takes it.
 */
final class PReluOp implements OpRegistration {

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(2, 2);
        op.requireOutputs(1);
        TensorInfo x = op.input(0);
        TensorInfo slope = op.input(1);
        op.requireActivationTypes(x, op.output());
        op.requireSameShape(x, op.output());
        op.requireConstant(slope, "slope");
        op.requireType(slope, "slope", DataType.FLOAT32, x.type());
        if (slope.elementCount() != x.lastDim()) {
            throw op.error("slope " + slope.describe() + " needs one value per channel (" + x.lastDim() + ")");
        }
    }

    @Override
    public PreparedOp prepareFloat(OpContext ctx) {
        TensorStorage s = ctx.storage();
        int n = ctx.input(0).elementCount();
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] slope = ctx.input(1).floatData();
        float[] out = s.floats(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        return () -> PReluFloat.eval(n, in, inOff, slope, out, outOff);
    }

    @Override
    public PreparedOp prepareInt8(OpContext ctx) throws ModelFormatException {
        TensorInfo x = ctx.input(0);
        TensorInfo slope = ctx.input(1);
        TensorInfo y = ctx.output();
        ctx.requirePerTensor(x, "input");
        ctx.requirePerTensor(y, "output");
        PReluParams p;
        if (slope.type() == DataType.FLOAT32) {
            p = PReluParams.fromFloatSlope(x.scale(), x.zeroPoint(), slope.floatData(), y.scale(), y.zeroPoint());
        } else {
            ctx.requirePerTensor(slope, "slope");
            p = PReluParams.fromScales(x.scale(), x.zeroPoint(), slope.int8Data(), slope.scale(), slope.zeroPoint(),
                    y.scale(), y.zeroPoint());
        }
        TensorStorage s = ctx.storage();
        int n = x.elementCount();
        byte[] in = s.bytes(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        byte[] out = s.bytes(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        if (ctx.int8Implementation() == Int8Kernels.Implementation.REFERENCE) {
            return () -> PReluReference.eval(p, in, inOff, out, outOff, n);
        }
        PReluFast fast = PReluFast.prepare(p);
        return () -> fast.eval(in, inOff, out, outOff, n);
    }

    /** A comparison and at most one multiplication per element: counted as one. */
    @Override
    public long macs(OpInfo op) {
        return op.output().elementCount();
    }
}
