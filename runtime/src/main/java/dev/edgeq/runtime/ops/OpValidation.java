package dev.edgeq.runtime.ops;

import dev.edgeq.format.Operator;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;

/** Load-time validation of one operator: arity, types, options and shapes. */
public final class OpValidation {
    private OpValidation() {}

    public static void check(Model model, int index, Operator op) throws ModelFormatException {
        Checks c = new Checks(model, index, op);
        switch (op.getType()) {
            case CONV_2D: Conv2DOp.validate(c, op); break;
            case DEPTHWISE_CONV_2D: DepthwiseConv2DOp.validate(c, op); break;
            case FULLY_CONNECTED: FullyConnectedOp.validate(c); break;
            case MAX_POOL_2D:
            case AVERAGE_POOL_2D: Pool2DOp.validate(c, op); break;
            case GLOBAL_AVERAGE_POOL:
            case GLOBAL_MAX_POOL: GlobalPoolOp.validate(c); break;
            case ADD: AddOp.validate(c); break;
            case MUL: MulOp.validate(c); break;
            case RELU:
            case CLIP:
            case LEAKY_RELU:
            case SIGMOID: ActivationOp.validate(c, op); break;
            case SOFTMAX: SoftmaxOp.validate(c); break;
            case RESHAPE: ReshapeOp.validate(c); break;
            case LRN: LrnOp.validate(c, op); break;
            case PAD: PadOp.validate(c, op); break;
            case QUANTIZE:
            case DEQUANTIZE: QuantizeOp.validate(c, op); break;
            default: throw c.error("unknown operator type " + op.getTypeValue() + " (a newer model file?)");
        }
    }
}
