package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;

/**
 * QUANTIZE (float to int8) and DEQUANTIZE (int8 to float): the edges of a float region inside an
 * int8 model (Softmax, Sigmoid, LRN). These are not int8 kernels, so they may use float math.
 */
public final class QuantizeOp {
    private QuantizeOp() {}

    static void validate(Checks c, Operator op) throws ModelFormatException {
        c.inputs(1, 1);
        boolean quantize = op.getType() == OpType.QUANTIZE;
        c.type(c.input(0), "input", quantize ? DataType.FLOAT32 : DataType.INT8);
        c.type(c.output(), "output", quantize ? DataType.INT8 : DataType.FLOAT32);
        c.sameCount(c.input(0), c.output());
        TensorInfo q = quantize ? c.output() : c.input(0);
        if (q.isPerChannel()) {
            throw c.error(q.describe() + " must be quantized per tensor");
        }
    }

    static PreparedOp prepare(OpContext ctx) {
        TensorStorage s = ctx.storage();
        int n = ctx.input(0).elementCount();
        int in = ctx.inputIndex(0);
        int out = ctx.outputIndex();
        int inOff = s.offset(in);
        int outOff = s.offset(out);
        if (ctx.op().getType() == OpType.QUANTIZE) {
            TensorInfo q = ctx.output();
            float inverseScale = 1f / q.scale();
            int zeroPoint = q.zeroPoint();
            float[] src = s.floats(in);
            byte[] dst = s.bytes(out);
            return () -> quantize(n, src, inOff, inverseScale, zeroPoint, dst, outOff);
        }
        TensorInfo q = ctx.input(0);
        float scale = q.scale();
        int zeroPoint = q.zeroPoint();
        byte[] src = s.bytes(in);
        float[] dst = s.floats(out);
        return () -> dequantize(n, src, inOff, scale, zeroPoint, dst, outOff);
    }

    /** q = clamp(round(x / scale) + zeroPoint, -128, 127), rounding half away from zero. */
    public static void quantize(int n, float[] src, int srcOff, float inverseScale, int zeroPoint, byte[] dst, int dstOff) {
        for (int i = 0; i < n; i++) {
            float v = src[srcOff + i] * inverseScale;
            int q = (int) (v < 0 ? -Math.floor(-v + 0.5f) : Math.floor(v + 0.5f)) + zeroPoint;
            dst[dstOff + i] = (byte) Math.max(-128, Math.min(127, q));
        }
    }

    public static void dequantize(int n, byte[] src, int srcOff, float scale, int zeroPoint, float[] dst, int dstOff) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = scale * (src[srcOff + i] - zeroPoint);
        }
    }
}
