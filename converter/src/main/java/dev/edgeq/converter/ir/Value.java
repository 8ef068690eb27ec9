package dev.edgeq.converter.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tensor of the graph IR, already in edgeq's layout: activations NHWC ([1,H,W,C]) or [1,N];
 * constants in the layout their consumer wants (OHWI, 1HWO, [out][in], [C]).
 *
 * <p>{@code onnxShape} keeps the shape the ONNX graph gave this tensor (NCHW), for messages and
 * for ops whose meaning depends on it. {@code chwOrigin} is set on a 2-D activation [1,N] whose
 * data is a flattened NHWC tensor while ONNX's logical order is the flattened NCHW one: a dense
 * layer reading it must permute its weight columns from CHW to HWC order.
 */
public final class Value {
    private String name;
    private final int[] shape;
    private final int[] onnxShape;
    private final float[] data;
    private final int[] chwOrigin;
    private Node producer;
    private final List<Node> consumers = new ArrayList<>();

    private Value(String name, int[] shape, int[] onnxShape, float[] data, int[] chwOrigin) {
        this.name = name;
        this.shape = shape.clone();
        this.onnxShape = onnxShape == null ? null : onnxShape.clone();
        this.data = data;
        this.chwOrigin = chwOrigin == null ? null : chwOrigin.clone();
        if (data != null && data.length != elementCount()) {
            throw new IllegalArgumentException("constant " + name + " has " + data.length
                    + " values for shape " + Arrays.toString(shape));
        }
    }

    /** An activation computed at run time. */
    public static Value activation(String name, int[] nhwcShape, int[] onnxShape, int[] chwOrigin) {
        return new Value(name, nhwcShape, onnxShape, null, chwOrigin);
    }

    /** A constant (weights, bias, per-channel vectors); data in the given shape's row-major order. */
    public static Value constant(String name, int[] shape, float[] data) {
        return new Value(name, shape, null, data, null);
    }

    public String name() {
        return name;
    }

    public void rename(String newName) {
        this.name = newName;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim(int i) {
        return shape[i];
    }

    public int rank() {
        return shape.length;
    }

    /** The ONNX (NCHW) shape, or null for constants created by the importer. */
    public int[] onnxShape() {
        return onnxShape == null ? null : onnxShape.clone();
    }

    public int[] chwOrigin() {
        return chwOrigin == null ? null : chwOrigin.clone();
    }

    public boolean isConstant() {
        return data != null;
    }

    /** The constant's values (shared, not copied: passes build new constants instead of mutating). */
    public float[] data() {
        return data;
    }

    public int elementCount() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    public Node producer() {
        return producer;
    }

    void setProducer(Node node) {
        this.producer = node;
    }

    public List<Node> consumers() {
        return consumers;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
