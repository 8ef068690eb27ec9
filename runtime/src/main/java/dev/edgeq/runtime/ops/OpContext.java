package dev.edgeq.runtime.ops;

import dev.edgeq.format.FusedActivation;
import dev.edgeq.format.Operator;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;

/** What an operator's prepare step sees: its operator, its tensors and their storage. */
public final class OpContext {
    private final int index;
    private final Operator op;
    private final TensorStorage storage;
    private final int[] scratchInts;

    public OpContext(int index, Operator op, TensorStorage storage, int[] scratchInts) {
        this.index = index;
        this.op = op;
        this.storage = storage;
        this.scratchInts = scratchInts;
    }

    public int index() { return index; }
    public Operator op() { return op; }
    public TensorStorage storage() { return storage; }
    /** Shared int scratch, sized by the Interpreter to the largest {@code OpScratch} request. */
    public int[] scratchInts() { return scratchInts; }

    public int inputIndex(int k) { return k < op.getInputsCount() ? op.getInputs(k) : -1; }
    public boolean hasInput(int k) { return inputIndex(k) >= 0; }
    public TensorInfo input(int k) { return storage.info(inputIndex(k)); }
    public int outputIndex() { return op.getOutputs(0); }
    public TensorInfo output() { return storage.info(outputIndex()); }

    public String where() {
        return storage.model().opName(index);
    }

    public ModelFormatException error(String what) {
        return new ModelFormatException(where() + ": " + what);
    }

    /** Float clamp range of a fused activation: [lo, hi]. */
    public static float[] floatRange(FusedActivation a) {
        switch (a.getType()) {
            case ACTIVATION_RELU: return new float[] {0f, Float.POSITIVE_INFINITY};
            case ACTIVATION_RELU6: return new float[] {0f, 6f};
            case ACTIVATION_CLIP: return new float[] {a.getMin(), a.getMax()};
            default: return new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        }
    }
}
