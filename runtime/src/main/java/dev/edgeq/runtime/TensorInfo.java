package dev.edgeq.runtime;

import dev.edgeq.format.DataType;
import java.util.Arrays;

/**
 * One tensor of a loaded {@link Model}: shape, type, quantization and, for constants, the decoded
 * data. Immutable. The arrays returned by the data accessors are shared with every Interpreter of
 * the model and must not be modified.
 */
public final class TensorInfo {
    private final int index;
    private final String name;
    private final int[] shape;
    private final DataType type;
    private final float[] scales;
    private final int[] zeroPoints;
    private final int quantizedDimension;
    private final Object constantData;

    TensorInfo(int index, String name, int[] shape, DataType type, float[] scales, int[] zeroPoints,
               int quantizedDimension, Object constantData) {
        this.index = index;
        this.name = name;
        this.shape = shape;
        this.type = type;
        this.scales = scales;
        this.zeroPoints = zeroPoints;
        this.quantizedDimension = quantizedDimension;
        this.constantData = constantData;
    }

    public int index() { return index; }
    public String name() { return name; }
    public int[] shape() { return shape.clone(); }
    public int rank() { return shape.length; }
    public int dim(int axis) { return shape[axis]; }
    /** Size of the last axis (channels in NHWC). */
    public int lastDim() { return shape[shape.length - 1]; }
    public DataType type() { return type; }

    public int elementCount() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Bytes one element takes in an arena or file. */
    public int elementBytes() {
        return type == DataType.INT8 ? 1 : 4;
    }

    public boolean isConstant() { return constantData != null; }
    public boolean isQuantized() { return scales.length > 0; }
    public boolean isPerChannel() { return scales.length > 1; }

    /** Quantization scales: empty (float tensor), one (per tensor), or one per channel. */
    public float[] scales() { return scales; }
    public int[] zeroPoints() { return zeroPoints; }
    public float scale() { return scales[0]; }
    public int zeroPoint() { return zeroPoints.length == 0 ? 0 : zeroPoints[0]; }
    public int quantizedDimension() { return quantizedDimension; }

    /** Constant FLOAT32 data, shared: do not modify. */
    public float[] floatData() { return (float[]) constantData; }
    /** Constant INT8 data, shared: do not modify. */
    public byte[] int8Data() { return (byte[]) constantData; }
    /** Constant INT32 data, shared: do not modify. */
    public int[] int32Data() { return (int[]) constantData; }

    /** "name" [1x28x28x1] INT8 */
    public String describe() {
        return "'" + name + "' " + shapeString(shape) + " " + type;
    }

    public static String shapeString(int[] shape) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                b.append('x');
            }
            b.append(shape[i]);
        }
        return b.append(']').toString();
    }

    @Override
    public String toString() {
        return "TensorInfo" + describe() + (isQuantized() ? " scales=" + Arrays.toString(scales) : "");
    }
}
