package dev.edgeq.runtime.ops;

import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.kernels.ConvGeometry;

/**
 * Prepare steps of the int8 operators: compute per-channel multipliers, shifts and clamps from
 * the quantization parameters and bind the int8 kernels.
 */
final class Int8Ops {
    private Int8Ops() {}

    static PreparedOp conv2D(OpContext ctx, ConvGeometry g) throws ModelFormatException {
        throw ctx.error("int8 kernels are not wired into the Interpreter yet");
    }

    static PreparedOp depthwiseConv2D(OpContext ctx, ConvGeometry g) throws ModelFormatException {
        throw ctx.error("int8 kernels are not wired into the Interpreter yet");
    }

    static PreparedOp fullyConnected(OpContext ctx) throws ModelFormatException {
        throw ctx.error("int8 kernels are not wired into the Interpreter yet");
    }

    static PreparedOp pool(OpContext ctx, ConvGeometry g, boolean max, boolean countIncludePad) throws ModelFormatException {
        throw ctx.error("int8 kernels are not wired into the Interpreter yet");
    }

    static PreparedOp add(OpContext ctx) throws ModelFormatException {
        throw ctx.error("int8 kernels are not wired into the Interpreter yet");
    }
}
