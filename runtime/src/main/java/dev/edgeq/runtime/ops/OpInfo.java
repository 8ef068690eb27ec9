package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.format.FusedActivation;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.format.Padding;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import java.util.Arrays;

/**
 * One operator of a loaded {@link Model} as its {@link OpRegistration} sees it when validating and
 * counting MACs: its options, its input and output tensors (shapes, types, quantization,
 * constants), and checks whose errors name the operator. No storage: see {@link OpContext}.
 */
public class OpInfo {
    private final Model model;
    private final int index;
    private final Operator op;

    /** The operator {@code index} of {@code model} (made by the runtime; public for tools and tests). */
    public OpInfo(Model model, int index) {
        this.model = model;
        this.index = index;
        this.op = model.operator(index);
    }

    public Model model() { return model; }
    /** Position in execution order. */
    public int index() { return index; }
    /** The operator as stored: type, options, {@code custom_name}, {@code custom_options}. */
    public Operator op() { return op; }
    public OpType type() { return op.getType(); }

    public int inputCount() { return op.getInputsCount(); }
    /** Tensor index of input k, or -1 when absent (an optional input left out, or k past the end). */
    public int inputIndex(int k) { return k < op.getInputsCount() ? op.getInputs(k) : -1; }
    public boolean hasInput(int k) { return inputIndex(k) >= 0; }
    /** Input k, or null when it is absent. */
    public TensorInfo input(int k) {
        int t = inputIndex(k);
        return t < 0 ? null : model.tensor(t);
    }

    public int outputCount() { return op.getOutputsCount(); }
    public int outputIndex(int k) { return op.getOutputs(k); }
    public TensorInfo output(int k) { return model.tensor(outputIndex(k)); }
    /** The first (for most operators the only) output. */
    public TensorInfo output() { return output(0); }

    /** "operator 3 'conv2' (CONV_2D)", for messages. */
    public String where() { return model.opName(index); }

    /** An error naming this operator. */
    public ModelFormatException error(String what) {
        return new ModelFormatException(where() + ": " + what);
    }

    /** Requires between min and max inputs, the first min of them present (optional ones may be -1). */
    public void requireInputs(int min, int max) throws ModelFormatException {
        int n = op.getInputsCount();
        if (n < min || n > max) {
            throw error(n + " inputs, expected " + (min == max ? "" + min : min + " to " + max));
        }
        for (int k = 0; k < min; k++) {
            if (op.getInputs(k) < 0) {
                throw error("required input " + k + " is missing");
            }
        }
    }

    public void requireOutputs(int count) throws ModelFormatException {
        if (op.getOutputsCount() != count) {
            throw error(op.getOutputsCount() + " outputs, expected " + count);
        }
    }

    public void requireRank(TensorInfo t, String role, int rank) throws ModelFormatException {
        if (t.rank() != rank) {
            throw error(role + " " + t.describe() + " has rank " + t.rank() + ", expected " + rank);
        }
    }

    public void requireBatchOne(TensorInfo t, String role) throws ModelFormatException {
        if (t.dim(0) != 1) {
            throw error(role + " " + t.describe() + " has batch " + t.dim(0) + "; edgeq runs batch 1");
        }
    }

    public void requireShape(TensorInfo t, String role, int... expected) throws ModelFormatException {
        if (!Arrays.equals(t.shape(), expected)) {
            throw error(role + " " + t.describe() + " should have shape " + TensorInfo.shapeString(expected));
        }
    }

    public void requireSameShape(TensorInfo in, TensorInfo out) throws ModelFormatException {
        if (!Arrays.equals(in.shape(), out.shape())) {
            throw error("output " + out.describe() + " should have the shape of input " + in.describe());
        }
    }

    public void requireSameCount(TensorInfo in, TensorInfo out) throws ModelFormatException {
        if (in.elementCount() != out.elementCount()) {
            throw error("output " + out.describe() + " has " + out.elementCount() + " elements, input " + in.describe()
                    + " has " + in.elementCount());
        }
    }

    public void requireConstant(TensorInfo t, String role) throws ModelFormatException {
        if (!t.isConstant()) {
            throw error(role + " " + t.describe() + " must be a constant");
        }
    }

    public void requireType(TensorInfo t, String role, DataType... allowed) throws ModelFormatException {
        for (DataType d : allowed) {
            if (t.type() == d) {
                return;
            }
        }
        throw error(role + " " + t.describe() + " has type " + t.type() + ", expected " + Arrays.toString(allowed));
    }

    /** A float-only operator (an int8 model runs it between DEQUANTIZE and QUANTIZE). */
    public void requireFloat(TensorInfo in, TensorInfo out) throws ModelFormatException {
        requireType(in, "input", DataType.FLOAT32);
        requireType(out, "output", DataType.FLOAT32);
    }

    /** Input and output activations share one type, FLOAT32 or INT8. */
    public void requireActivationTypes(TensorInfo in, TensorInfo out) throws ModelFormatException {
        requireType(in, "input", DataType.FLOAT32, DataType.INT8);
        if (out.type() != in.type()) {
            throw error("output " + out.describe() + " and input " + in.describe() + " differ in type");
        }
    }

    /** An int8 operator that moves values without requantizing keeps its input's scale and zero point. */
    public void requireSameQuantization(TensorInfo in, TensorInfo out) throws ModelFormatException {
        if (in.scale() != out.scale() || in.zeroPoint() != out.zeroPoint()) {
            throw error("output " + out.describe() + " (scale " + out.scale() + ", zero point " + out.zeroPoint()
                    + ") must keep the quantization of input " + in.describe() + " (scale " + in.scale()
                    + ", zero point " + in.zeroPoint() + "): this operator does not requantize");
        }
    }

    public void requirePerTensor(TensorInfo t, String role) throws ModelFormatException {
        if (t.isPerChannel()) {
            throw error(role + " " + t.describe() + " must be quantized per tensor, has " + t.scales().length + " scales");
        }
    }

    public void requirePositive(int value, String what) throws ModelFormatException {
        if (value < 1) {
            throw error(what + " is " + value + ", must be at least 1");
        }
    }

    public void requirePadding(Padding p) throws ModelFormatException {
        if (p.getTop() < 0 || p.getLeft() < 0 || p.getBottom() < 0 || p.getRight() < 0) {
            throw error("negative padding " + p.getTop() + "," + p.getLeft() + "," + p.getBottom() + "," + p.getRight());
        }
    }

    /** The output is [1, h, w, channels]. */
    public void requireOutputSpatial(TensorInfo out, int h, int w, int channels) throws ModelFormatException {
        if (out.rank() != 4 || out.dim(0) != 1 || out.dim(1) != h || out.dim(2) != w || out.dim(3) != channels) {
            throw error("output " + out.describe() + " should be " + TensorInfo.shapeString(new int[] {1, h, w, channels}));
        }
    }

    /** Float clamp range of a fused activation: {lo, hi}. */
    public static float[] floatRange(FusedActivation a) {
        switch (a.getType()) {
            case ACTIVATION_RELU: return new float[] {0f, Float.POSITIVE_INFINITY};
            case ACTIVATION_RELU6: return new float[] {0f, 6f};
            case ACTIVATION_CLIP: return new float[] {a.getMin(), a.getMax()};
            default: return new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        }
    }
}
