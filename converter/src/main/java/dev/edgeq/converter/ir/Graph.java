package dev.edgeq.converter.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The converter's graph IR: nodes in execution order over {@link Value}s, in edgeq layout.
 * The importer builds it, the passes rewrite it, the emitter writes it as a ModelFile.
 * Edits go through this class so producer/consumer links stay right.
 */
public final class Graph {
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();

    public void addInput(Value v) {
        inputs.add(v);
    }

    public void addOutput(Value v) {
        outputs.add(v);
    }

    public List<Value> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /** Appends a node (execution order = insertion order) and links its values. */
    public Node add(Node node) {
        for (Value in : node.inputs()) {
            if (in != null) {
                in.consumers().add(node);
            }
        }
        for (Value out : node.outputs()) {
            out.setProducer(node);
        }
        nodes.add(node);
        return node;
    }

    public boolean isGraphOutput(Value v) {
        return outputs.contains(v);
    }

    /** True when exactly one node reads v and v is not a graph output: safe to fuse into its producer. */
    public boolean hasSingleConsumer(Value v) {
        return v.consumers().size() == 1 && !isGraphOutput(v);
    }

    /**
     * Removes a node whose output is to be replaced by {@code replacement}: every consumer (and
     * graph output) of the node's output reads {@code replacement} instead.
     */
    public void removeAndBypass(Node node, Value replacement) {
        Value out = node.output();
        for (Node consumer : new ArrayList<>(out.consumers())) {
            replaceInput(consumer, out, replacement);
        }
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i) == out) {
                outputs.set(i, replacement);
            }
        }
        detach(node);
    }

    /** Replaces every occurrence of {@code old} among the node's inputs by {@code replacement}. */
    public void replaceInput(Node node, Value old, Value replacement) {
        for (int i = 0; i < node.inputs().size(); i++) {
            if (node.inputs().get(i) == old) {
                node.replaceInput(i, replacement);
                old.consumers().remove(node);
                if (replacement != null) {
                    replacement.consumers().add(node);
                }
            }
        }
    }

    /** Sets input i of node (e.g. new folded weights), keeping consumer links right. */
    public void setInput(Node node, int i, Value replacement) {
        Value old = node.inputs().get(i);
        if (old != null) {
            old.consumers().remove(node);
        }
        node.replaceInput(i, replacement);
        if (replacement != null) {
            replacement.consumers().add(node);
        }
    }

    /**
     * Fuses {@code follower} (the only consumer of producer's output) into {@code producer}:
     * producer now writes follower's output tensor and follower disappears.
     */
    public void absorb(Node producer, Node follower) {
        Value newOut = follower.output();
        detach(follower);
        Value oldOut = producer.output();
        oldOut.setProducer(null);
        producer.setOutput(newOut);
        newOut.setProducer(producer);
    }

    /**
     * Puts {@code replacement} in {@code old}'s place in execution order: it writes old's output
     * tensor (same consumers), reads its own inputs; old disappears.
     */
    public void replace(Node old, Node replacement) {
        int at = nodes.indexOf(old);
        if (at < 0 || !replacement.outputs().equals(old.outputs())) {
            throw new IllegalArgumentException("replace " + old + " by " + replacement + ": not in the graph or not the same outputs");
        }
        detach(old);
        for (Value in : replacement.inputs()) {
            if (in != null) {
                in.consumers().add(replacement);
            }
        }
        for (Value out : replacement.outputs()) {
            out.setProducer(replacement);
        }
        nodes.add(at, replacement);
    }

    /** Removes a node whose outputs nothing reads any more (none a graph output); true when removed. */
    public boolean removeIfUnused(Node node) {
        for (Value out : node.outputs()) {
            if (!out.consumers().isEmpty() || isGraphOutput(out)) {
                return false;
            }
        }
        detach(node);
        for (Value out : node.outputs()) {
            out.setProducer(null);
        }
        return true;
    }

    private void detach(Node node) {
        for (Value in : node.inputs()) {
            if (in != null) {
                in.consumers().remove(node);
            }
        }
        nodes.remove(node);
    }
}
