package dev.edgeq.runtime;

import dev.edgeq.format.ModelFile;

import java.util.List;

/**
 * Tensor shapes as the reports print them ({@code HxWxC}). {@code edgeq inspect} (converter) and
 * {@code edgeq bench} (the board jar, which has no converter) both use it.
 */
public final class ShapeText {
    private ShapeText() {}

    /** The output shape of operator {@code op} of {@code m}. */
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
}
