package dev.edgeq.runtime.ops;

import dev.edgeq.runtime.ModelFormatException;

/**
 * An operator with no int8 kernel: its validate requires FLOAT32, and an int8 model runs it between
 * DEQUANTIZE and QUANTIZE (the converter's int8 rule for it says "runs in float").
 */
abstract class FloatOnlyOp implements OpRegistration {

    @Override
    public final PreparedOp prepareInt8(OpContext ctx) throws ModelFormatException {
        throw ctx.floatOnly();
    }
}
