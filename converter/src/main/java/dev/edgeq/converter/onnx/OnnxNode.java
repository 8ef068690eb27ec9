package dev.edgeq.converter.onnx;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.onnx.AttributeProto;
import dev.edgeq.onnx.NodeProto;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Read access to one ONNX node: its name for messages, inputs (empty name = absent) and attributes. */
public final class OnnxNode {
    private final NodeProto proto;
    private final String label;
    private final Map<String, AttributeProto> attributes = new HashMap<>();

    OnnxNode(NodeProto proto, int index) {
        this.proto = proto;
        String name = proto.getName().isEmpty() ? "#" + index : proto.getName();
        this.label = proto.getOpType() + " '" + name + "'";
        for (AttributeProto a : proto.getAttributeList()) {
            attributes.put(a.getName(), a);
        }
    }

    public String opType() {
        return proto.getOpType();
    }

    /** The node's name, or its output's name when the exporter left it empty (for IR node names). */
    public String name() {
        return proto.getName().isEmpty() ? proto.getOutput(0) : proto.getName();
    }

    /** "Conv 'conv3'": how messages name this node. */
    public String label() {
        return label;
    }

    public String domain() {
        return proto.getDomain();
    }

    public int inputCount() {
        return proto.getInputCount();
    }

    /** Input i's name, or "" when absent (missing or given as the empty name). */
    public String input(int i) {
        return i < proto.getInputCount() ? proto.getInput(i) : "";
    }

    public boolean hasInput(int i) {
        return !input(i).isEmpty();
    }

    public List<String> outputs() {
        return proto.getOutputList();
    }

    public String output(int i) {
        return i < proto.getOutputCount() ? proto.getOutput(i) : "";
    }

    public boolean has(String attribute) {
        return attributes.containsKey(attribute);
    }

    public long i(String name, long dflt) {
        AttributeProto a = attributes.get(name);
        return a == null ? dflt : a.getI();
    }

    public float f(String name, float dflt) {
        AttributeProto a = attributes.get(name);
        return a == null ? dflt : a.getF();
    }

    public String s(String name, String dflt) {
        AttributeProto a = attributes.get(name);
        return a == null ? dflt : a.getS().toString(StandardCharsets.UTF_8);
    }

    /** An INTS attribute as int[], or null when absent. */
    public int[] ints(String name) throws ConversionException {
        AttributeProto a = attributes.get(name);
        if (a == null) {
            return null;
        }
        int[] r = new int[a.getIntsCount()];
        for (int k = 0; k < r.length; k++) {
            long v = a.getInts(k);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new ConversionException(label + " attribute " + name + " value " + v + " out of range");
            }
            r[k] = (int) v;
        }
        return r;
    }

    public AttributeProto attribute(String name) {
        return attributes.get(name);
    }

    public Iterable<String> attributeNames() {
        return attributes.keySet();
    }
}
