package dev.edgeq.runtime.ops;

import dev.edgeq.runtime.ModelFormatException;

/** Picks and prepares the kernel for one operator (by type, data type and shape). */
public final class OpResolver {
    private OpResolver() {}

    public static PreparedOp prepare(OpContext ctx) throws ModelFormatException {
        switch (ctx.op().getType()) {
            case CONV_2D: return Conv2DOp.prepare(ctx);
            case DEPTHWISE_CONV_2D: return DepthwiseConv2DOp.prepare(ctx);
            case FULLY_CONNECTED: return FullyConnectedOp.prepare(ctx);
            case MAX_POOL_2D:
            case AVERAGE_POOL_2D: return Pool2DOp.prepare(ctx);
            case GLOBAL_AVERAGE_POOL:
            case GLOBAL_MAX_POOL: return GlobalPoolOp.prepare(ctx);
            case ADD: return AddOp.prepare(ctx);
            case MUL: return MulOp.prepare(ctx);
            case RELU:
            case CLIP:
            case LEAKY_RELU:
            case SIGMOID: return ActivationOp.prepare(ctx);
            case SOFTMAX: return SoftmaxOp.prepare(ctx);
            case RESHAPE: return ReshapeOp.prepare(ctx);
            case LRN: return LrnOp.prepare(ctx);
            case PAD: return PadOp.prepare(ctx);
            case QUANTIZE:
            case DEQUANTIZE: return QuantizeOp.prepare(ctx);
            default: throw ctx.error("no kernel");
        }
    }
}
