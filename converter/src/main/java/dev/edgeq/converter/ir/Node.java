package dev.edgeq.converter.ir;

import com.google.protobuf.Message;
import dev.edgeq.format.OpType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One operator of the graph IR, with edgeq semantics (the .eqm OpType and its options message,
 * e.g. ConvOptions). Inputs may contain null for an absent optional input (a missing bias).
 */
public final class Node {
    private final String name;
    private final OpType type;
    private Message options;
    private final List<Value> inputs;
    private final List<Value> outputs;

    public Node(String name, OpType type, Message options, List<Value> inputs, Value output) {
        this(name, type, options, inputs, List.of(output));
    }

    /** A node with any number of outputs (Split). */
    public Node(String name, OpType type, Message options, List<Value> inputs, List<Value> outputs) {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException(type + " '" + name + "' needs at least one output");
        }
        this.name = name;
        this.type = type;
        this.options = options;
        this.inputs = new ArrayList<>(inputs);
        this.outputs = new ArrayList<>(outputs);
    }

    public String name() {
        return name;
    }

    public OpType type() {
        return type;
    }

    /** The options message (ConvOptions, PoolOptions, ...) or null for ops without options. */
    public Message options() {
        return options;
    }

    public void setOptions(Message options) {
        this.options = options;
    }

    public List<Value> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public Value input(int i) {
        return i < inputs.size() ? inputs.get(i) : null;
    }

    /** The first non-constant input: the data this op works on. */
    public Value dataInput() {
        return inputs.get(0);
    }

    /** The first output (the only one of most operators). */
    public Value output() {
        return outputs.get(0);
    }

    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    void replaceInput(int i, Value v) {
        inputs.set(i, v);
    }

    void setOutput(Value v) {
        outputs.set(0, v);
    }

    @Override
    public String toString() {
        return type + " '" + name + "'";
    }
}
