package dev.edgeq.runtime;

import dev.edgeq.format.ModelFile;
import dev.edgeq.format.Operator;
import dev.edgeq.format.Tensor;

import java.util.List;

/**
 * Per-operator figures read from a model file's shapes alone: the multiply-accumulates per run and the
 * output shape as text. {@code edgeq inspect} (converter) and {@code edgeq bench} (the board jar, which has
 * no converter) both report them, so they are counted here, once.
 */
public final class LayerFigures {
    private LayerFigures() {}

    /**
     * Multiply-accumulates of operator {@code op} per run: output elements times the kernel's taps (and input
     * channels for a convolution), rows times columns for a fully connected layer, one per output element
     * for an element-wise product of activations; 0 for every other operator.
     */
    public static long macs(ModelFile m, int op) {
        Operator o = m.getOperators(op);
        long neurons = elements(m.getTensors(o.getOutputs(0)).getShapeList());
        return switch (o.getType()) {
            case CONV_2D -> {
                Tensor w = m.getTensors(o.getInputs(1));
                yield neurons * w.getShape(1) * w.getShape(2) * w.getShape(3);
            }
            case DEPTHWISE_CONV_2D -> {
                Tensor w = m.getTensors(o.getInputs(1));
                yield neurons * w.getShape(1) * w.getShape(2);
            }
            case FULLY_CONNECTED -> {
                Tensor w = m.getTensors(o.getInputs(1));
                yield (long) w.getShape(0) * w.getShape(1);
            }
            case MUL -> neurons;
            default -> 0;
        };
    }

    /** The output shape of operator {@code op} as {@code HxWxC} ({@code 1x1xN} for a vector). */
    public static String outputHwc(ModelFile m, int op) {
        return hwc(m.getTensors(m.getOperators(op).getOutputs(0)).getShapeList());
    }

    /** {@code HxWxC} for an NHWC shape, {@code 1x1xN} for [1, N], the plain list otherwise. */
    public static String hwc(List<Integer> shape) {
        if (shape.size() == 4) {
            return shape.get(1) + "x" + shape.get(2) + "x" + shape.get(3);
        }
        if (shape.size() == 2) {
            return "1x1x" + shape.get(1);
        }
        return shape.toString();
    }

    private static long elements(List<Integer> shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
