package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.format.Operator;
import dev.edgeq.format.Padding;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import java.util.Arrays;

/** Load-time checks shared by the operators' validate steps; each names the operator and tensor. */
final class Checks {
    private final Model model;
    private final int index;
    private final Operator op;

    Checks(Model model, int index, Operator op) {
        this.model = model;
        this.index = index;
        this.op = op;
    }

    ModelFormatException error(String what) {
        return new ModelFormatException(model.opName(index) + ": " + what);
    }

    /** Requires between min and max inputs; optional trailing inputs may be -1. */
    void inputs(int min, int max) throws ModelFormatException {
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

    TensorInfo input(int k) {
        int t = k < op.getInputsCount() ? op.getInputs(k) : -1;
        return t < 0 ? null : model.tensor(t);
    }

    TensorInfo output() {
        return model.tensor(op.getOutputs(0));
    }

    void rank(TensorInfo t, String role, int rank) throws ModelFormatException {
        if (t.rank() != rank) {
            throw error(role + " " + t.describe() + " has rank " + t.rank() + ", expected " + rank);
        }
    }

    void batchOne(TensorInfo t, String role) throws ModelFormatException {
        if (t.dim(0) != 1) {
            throw error(role + " " + t.describe() + " has batch " + t.dim(0) + "; edgeq runs batch 1");
        }
    }

    void shape(TensorInfo t, String role, int... expected) throws ModelFormatException {
        if (!Arrays.equals(t.shape(), expected)) {
            throw error(role + " " + t.describe() + " should have shape " + TensorInfo.shapeString(expected));
        }
    }

    void sameCount(TensorInfo a, TensorInfo b) throws ModelFormatException {
        if (a.elementCount() != b.elementCount()) {
            throw error("output " + b.describe() + " has " + b.elementCount() + " elements, input " + a.describe()
                    + " has " + a.elementCount());
        }
    }

    void constant(TensorInfo t, String role) throws ModelFormatException {
        if (!t.isConstant()) {
            throw error(role + " " + t.describe() + " must be a constant");
        }
    }

    void type(TensorInfo t, String role, DataType... allowed) throws ModelFormatException {
        for (DataType d : allowed) {
            if (t.type() == d) {
                return;
            }
        }
        throw error(role + " " + t.describe() + " has type " + t.type() + ", expected " + Arrays.toString(allowed));
    }

    /** Activations of a compute op share one type: FLOAT32, or INT8 with INT8 weights and INT32 bias. */
    void activationTypes(TensorInfo in, TensorInfo out) throws ModelFormatException {
        type(in, "input", DataType.FLOAT32, DataType.INT8);
        if (out.type() != in.type()) {
            throw error("output " + out.describe() + " and input " + in.describe() + " differ in type");
        }
    }

    void positive(int value, String what) throws ModelFormatException {
        if (value < 1) {
            throw error(what + " is " + value + ", must be at least 1");
        }
    }

    void padding(Padding p) throws ModelFormatException {
        if (p.getTop() < 0 || p.getLeft() < 0 || p.getBottom() < 0 || p.getRight() < 0) {
            throw error("negative padding " + p.getTop() + "," + p.getLeft() + "," + p.getBottom() + "," + p.getRight());
        }
    }

    void outputSpatial(TensorInfo out, int expectedH, int expectedW, int channels) throws ModelFormatException {
        if (out.rank() != 4 || out.dim(0) != 1 || out.dim(1) != expectedH || out.dim(2) != expectedW || out.dim(3) != channels) {
            throw error("output " + out.describe() + " should be " + TensorInfo.shapeString(new int[] {1, expectedH, expectedW, channels}));
        }
    }
}
