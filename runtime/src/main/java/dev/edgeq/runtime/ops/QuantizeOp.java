package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.quant.QuantizedMultiplier;

/**
 * QUANTIZE (float to int8) and DEQUANTIZE (int8 to float): the edges of a float region inside an
 * int8 model (Softmax, Sigmoid, LRN). These are not int8 kernels, so they may use float math.
 * QUANTIZE reads a float input, so it is prepared by {@link #prepareFloat}; DEQUANTIZE by
 * {@link #prepareInt8}.
 */
public final class QuantizeOp implements OpRegistration {
    static final QuantizeOp QUANTIZE = new QuantizeOp(true);
    static final QuantizeOp DEQUANTIZE = new QuantizeOp(false);

    private final boolean quantize;

    private QuantizeOp(boolean quantize) {
        this.quantize = quantize;
    }

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(1, 1);
        op.requireOutputs(1);
        op.requireType(op.input(0), "input", quantize ? DataType.FLOAT32 : DataType.INT8);
        op.requireType(op.output(), "output", quantize ? DataType.INT8 : DataType.FLOAT32);
        op.requireSameCount(op.input(0), op.output());
        TensorInfo q = quantize ? op.output() : op.input(0);
        if (q.isPerChannel()) {
            throw op.error(q.describe() + " must be quantized per tensor");
        }
    }

    /** QUANTIZE. */
    @Override
    public PreparedOp prepareFloat(OpContext ctx) {
        TensorStorage s = ctx.storage();
        int n = ctx.input(0).elementCount();
        TensorInfo q = ctx.output();
        float inverseScale = 1f / q.scale();
        int zeroPoint = q.zeroPoint();
        float[] src = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        byte[] dst = s.bytes(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        return () -> quantize(n, src, inOff, inverseScale, zeroPoint, dst, outOff);
    }

    /** DEQUANTIZE. */
    @Override
    public PreparedOp prepareInt8(OpContext ctx) {
        TensorStorage s = ctx.storage();
        int n = ctx.input(0).elementCount();
        TensorInfo q = ctx.input(0);
        float scale = q.scale();
        int zeroPoint = q.zeroPoint();
        byte[] src = s.bytes(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] dst = s.floats(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        return () -> dequantize(n, src, inOff, scale, zeroPoint, dst, outOff);
    }

    /** One conversion per element, not counted as a multiply-accumulate. */
    @Override
    public long macs(OpInfo op) {
        return 0;
    }

    /**
     * q = clamp(round(x * inverseScale) + zeroPoint, -128, 127), rounding the float product half away from
     * zero ({@link QuantizedMultiplier#roundHalfAwayFromZero}, TFLite's std::round); a huge or infinite
     * input saturates instead of wrapping when the zero point is added.
     */
    public static void quantize(int n, float[] src, int srcOff, float inverseScale, int zeroPoint, byte[] dst, int dstOff) {
        for (int i = 0; i < n; i++) {
            long rounded = QuantizedMultiplier.roundHalfAwayFromZero(src[srcOff + i] * inverseScale);
            long q = Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, rounded)) + zeroPoint;
            dst[dstOff + i] = (byte) Math.max(-128, Math.min(127, q));
        }
    }

    public static void dequantize(int n, byte[] src, int srcOff, float scale, int zeroPoint, float[] dst, int dstOff) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = dequantize(src[srcOff + i], scale, zeroPoint);
        }
    }

    /** One int8 value's real value: {@code scale * (q - zeroPoint)}, rounded once. */
    public static float dequantize(int q, float scale, int zeroPoint) {
        return scale * (q - zeroPoint);
    }
}
