package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.TensorInfo;

/**
 * Where every tensor of one Interpreter lives: the array (an arena, or a constant's own data) and
 * the offset in it. Filled once at Interpreter creation.
 */
public final class TensorStorage {
    private final Model model;
    private final Object[] arrays;
    private final int[] offsets;

    public TensorStorage(Model model) {
        this.model = model;
        int n = model.tensors().size();
        arrays = new Object[n];
        offsets = new int[n];
        for (TensorInfo t : model.tensors()) {
            if (t.isConstant()) {
                bindConstant(t);
            }
        }
    }

    /** Points a constant tensor at its own data (its type's array, from index 0). */
    public void bindConstant(TensorInfo t) {
        bind(t.index(), t.type() == DataType.FLOAT32 ? t.floatData() : t.type() == DataType.INT8 ? t.int8Data() : t.int32Data(), 0);
    }

    public void bind(int tensor, Object array, int offset) {
        arrays[tensor] = array;
        offsets[tensor] = offset;
    }

    public boolean isBound(int tensor) { return arrays[tensor] != null; }
    public Model model() { return model; }
    public TensorInfo info(int tensor) { return model.tensor(tensor); }
    public int offset(int tensor) { return offsets[tensor]; }
    public float[] floats(int tensor) { return (float[]) arrays[tensor]; }
    public byte[] bytes(int tensor) { return (byte[]) arrays[tensor]; }
    public int[] ints(int tensor) { return (int[]) arrays[tensor]; }
}
