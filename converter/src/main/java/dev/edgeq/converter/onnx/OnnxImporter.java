package dev.edgeq.converter.onnx;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.ir.Graph;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.converter.ops.OnnxOpSpec;
import dev.edgeq.converter.ops.OpSpecs;
import dev.edgeq.onnx.GraphProto;
import dev.edgeq.onnx.ModelProto;
import dev.edgeq.onnx.OperatorSetIdProto;
import dev.edgeq.onnx.TensorProto;
import dev.edgeq.onnx.TensorShapeProto;
import dev.edgeq.onnx.ValueInfoProto;
import dev.edgeq.runtime.ModelFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ONNX graph -> graph IR. Walks the nodes in order, infers every tensor's shape from the graph
 * input shape (batch 1), and lowers each node into edgeq ops in NHWC layout (its
 * {@link OnnxOpSpec}, found in {@link OpSpecs}).
 * Unsupported nodes are collected and reported together in one {@link ConversionException};
 * inconsistent shapes and missing inputs fail at once, naming the node.
 */
public final class OnnxImporter {
    /** ONNX op types edgeq imports (each with the restrictions its spec's lowering states). */
    public static final List<String> SUPPORTED_OPS = OpSpecs.importedOnnxTypes();

    /**
     * Shape arithmetic evaluated at conversion time when its inputs are shapes or constants
     * (PyTorch's x.view(x.size(0), -1)); on run-time data these are unsupported.
     */
    public static final List<String> FOLDED_SHAPE_OPS = OpSpecs.foldedOnnxTypes();

    private final String source;
    private final int opset;
    private final Graph graph = new Graph();
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, OnnxConstant> constants = new HashMap<>();
    /** Intermediate tensors a lowering keeps as a note instead of computing them (a channel shuffle's 5-D views). */
    private final Map<String, Object> views = new HashMap<>();
    /** Outputs of unsupported nodes: their consumers cannot be lowered, but are not reported. */
    private final Set<String> poisoned = new HashSet<>();
    private final List<String> unsupported = new ArrayList<>();
    private final Set<String> usedNames = new HashSet<>();

    private OnnxImporter(String source, int opset) {
        this.source = source;
        this.opset = opset;
    }

    /** Imports the model; {@code source} names the file in messages. */
    public static Graph importModel(ModelProto model, String source) throws ConversionException {
        OnnxImporter importer = new OnnxImporter(source, opsetOf(model));
        return importer.run(model.getGraph());
    }

    public static int opsetOf(ModelProto model) {
        for (OperatorSetIdProto id : model.getOpsetImportList()) {
            if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
                return (int) id.getVersion();
            }
        }
        return 17;
    }

    public int opset() {
        return opset;
    }

    private Graph run(GraphProto g) throws ConversionException {
        for (TensorProto init : g.getInitializerList()) {
            constants.put(init.getName(), OnnxConstant.decode(init, "initializer '" + init.getName() + "'"));
        }
        for (ValueInfoProto in : g.getInputList()) {
            if (!constants.containsKey(in.getName())) {
                Value v = graphInput(in);
                if (v != null) {
                    graph.addInput(v);
                    values.put(in.getName(), v);
                    usedNames.add(in.getName());
                }
            }
        }
        if (graph.inputs().isEmpty() && unsupported.isEmpty()) {
            throw new ConversionException(source + ": the graph has no input (all inputs are initializers)");
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            lowerNode(new OnnxNode(g.getNode(i), i));
        }
        for (ValueInfoProto out : g.getOutputList()) {
            String name = out.getName();
            if (poisoned.contains(name)) {
                continue;
            }
            Value v = values.get(name);
            if (v == null) {
                if (constants.containsKey(name)) {
                    unsupported.add("graph output '" + name + "' is a constant");
                    continue;
                }
                throw new ConversionException(source + ": graph output '" + name + "' is produced by no node");
            }
            if (graph.inputs().contains(v)) {
                // The runtime needs every graph output written by an operator (OnnxImportFuzzTest found
                // a model that converted with its input as its output).
                unsupported.add("graph output '" + name + "' is the graph input '" + v.name() + "' itself (no operator computes it)");
                continue;
            }
            if (v.chwOrigin() != null) {
                unsupported.add("graph output '" + name + "' is a flattened C x H x W tensor "
                        + Shapes.str(v.chwOrigin()) + " (edgeq keeps NHWC order; end the model with a dense layer)");
                continue;
            }
            graph.addOutput(v);
        }
        if (!unsupported.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            sb.append(source).append(": ").append(unsupported.size())
                    .append(unsupported.size() == 1 ? " unsupported node:" : " unsupported nodes:");
            for (String u : unsupported) {
                sb.append("\n  ").append(u);
            }
            sb.append("\nedgeq supports: ").append(String.join(", ", SUPPORTED_OPS))
                    .append(" (2-D images, batch 1); and on shapes/constants only: ")
                    .append(String.join(", ", FOLDED_SHAPE_OPS));
            throw new ConversionException(sb.toString());
        }
        if (graph.inputs().size() != 1 || graph.outputs().size() != 1) {
            throw new ConversionException(source + ": the graph has " + graph.inputs().size() + " inputs and "
                    + graph.outputs().size() + " outputs; edgeq models have exactly one of each");
        }
        return graph;
    }

    private Value graphInput(ValueInfoProto in) throws ConversionException {
        String where = "graph input '" + in.getName() + "'";
        if (!in.getType().hasTensorType()) {
            unsupported.add(where + " is not a tensor");
            poisoned.add(in.getName());
            return null;
        }
        int elemType = in.getType().getTensorType().getElemType();
        if (elemType != TensorProto.DataType.FLOAT_VALUE) {
            unsupported.add(where + " has type " + OnnxConstant.typeName(elemType) + " (edgeq takes float input)");
            poisoned.add(in.getName());
            return null;
        }
        if (!in.getType().getTensorType().hasShape()) {
            throw new ConversionException(source + ": " + where + " has no shape; edgeq needs a fixed input size");
        }
        TensorShapeProto shape = in.getType().getTensorType().getShape();
        int rank = shape.getDimCount();
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            TensorShapeProto.Dimension d = shape.getDim(i);
            boolean known = d.hasDimValue() && d.getDimValue() > 0;
            if (i == 0 && !known) {
                dims[i] = 1; // a symbolic batch runs as batch 1
            } else if (!known) {
                throw new ConversionException(source + ": " + where + " dimension " + i + " is "
                        + (d.hasDimParam() ? "symbolic '" + d.getDimParam() + "'" : "unknown")
                        + "; edgeq needs a fixed input size");
            } else {
                dims[i] = (int) Math.min(d.getDimValue(), Integer.MAX_VALUE);
            }
        }
        if (rank != 4 && rank != 2) {
            unsupported.add(where + " has rank " + rank + " " + Shapes.str(dims)
                    + " (edgeq takes [1,C,H,W] images or [1,N] vectors)");
            poisoned.add(in.getName());
            return null;
        }
        if (dims[0] != 1) {
            unsupported.add(where + " has batch " + dims[0] + " (edgeq runs batch 1)");
            poisoned.add(in.getName());
            return null;
        }
        // The runtime's limits, checked here so that the converter never writes a model the runtime refuses.
        long elements = 1;
        for (int d : dims) {
            elements *= d;
            if (elements > ModelFormat.MAX_TENSOR_ELEMENTS) {
                throw new ConversionException(source + ": " + where + " " + Shapes.str(dims) + " has more than "
                        + ModelFormat.MAX_TENSOR_ELEMENTS + " elements");
            }
        }
        if (dims[1] > ModelFormat.MAX_INPUT_CHANNELS) {
            throw new ConversionException(source + ": " + where + " " + Shapes.str(dims) + " has " + dims[1]
                    + " channels, more than the " + ModelFormat.MAX_INPUT_CHANNELS + " an edgeq model input may have");
        }
        return Value.activation(in.getName(), Shapes.nhwc(dims), dims, null);
    }

    private void lowerNode(OnnxNode node) throws ConversionException {
        if (node.outputs().isEmpty() || node.output(0).isEmpty()) {
            throw new ConversionException(source + ": " + node.label() + " has no output");
        }
        for (String out : node.outputs()) {
            if (!out.isEmpty() && (values.containsKey(out) || constants.containsKey(out))) {
                throw new ConversionException(source + ": " + node.label() + " writes '" + out
                        + "', which another node or initializer already defines");
            }
        }
        OnnxOpSpec spec = OpSpecs.onnx(node.opType());
        boolean inputsPoisoned = false;
        for (int i = 0; i < node.inputCount(); i++) {
            String in = node.input(i);
            if (in.isEmpty()) {
                continue;
            }
            if (poisoned.contains(in)) {
                inputsPoisoned = true;
            } else if (!values.containsKey(in) && !constants.containsKey(in) && !views.containsKey(in)) {
                throw new ConversionException(source + ": " + node.label() + " reads '" + in
                        + "', which no earlier node, initializer or graph input produces");
            }
        }
        if (!node.domain().isEmpty() && !node.domain().equals("ai.onnx")) {
            unsupported.add(node.label() + ": domain '" + node.domain() + "' (only the default ONNX domain)");
            poisoned.addAll(node.outputs());
            return;
        }
        if (spec == null) {
            unsupported.add(node.label() + ": op type not supported");
            poisoned.addAll(node.outputs());
            return;
        }
        if (inputsPoisoned) {
            String problem = attributeProblem(spec, node);
            if (problem != null) {
                unsupported.add(node.label() + " " + problem);
            }
            poisoned.addAll(node.outputs());
            return;
        }
        try {
            spec.lower(this, node);
        } catch (Unsupported u) {
            unsupported.add(node.label() + " " + u.getMessage());
            poisoned.addAll(node.outputs());
        }
    }

    /**
     * Problems visible from a node's attributes alone, for nodes whose inputs come from an
     * unsupported node (their shapes are unknown, but these are still worth reporting).
     */
    private static String attributeProblem(OnnxOpSpec spec, OnnxNode n) throws ConversionException {
        String autoPad = n.s("auto_pad", "NOTSET");
        if (!List.of("NOTSET", "", "VALID", "SAME_UPPER", "SAME_LOWER").contains(autoPad)) {
            return "auto_pad=" + autoPad;
        }
        return spec.attributeProblem(n);
    }

    // ---- context used by the operators' lowerings (OnnxOpSpec.lower) ----

    public String source() {
        return source;
    }

    public Graph graph() {
        return graph;
    }

    public boolean isConstant(String name) {
        return constants.containsKey(name);
    }

    public void defineConstant(String name, OnnxConstant c) {
        constants.put(name, c);
    }

    /** The ONNX shape of a run-time tensor, or null when the name is not one. */
    public int[] activationShape(String name) {
        Value v = values.get(name);
        return v == null ? null : v.onnxShape();
    }

    /** Input i of node as a run-time tensor. */
    public Value activation(OnnxNode node, int i) throws Unsupported {
        String name = node.input(i);
        if (name.isEmpty()) {
            throw new Unsupported("has no input " + i);
        }
        Value v = values.get(name);
        if (v == null && views.containsKey(name)) {
            throw new Unsupported("input " + i + " '" + name + "' is " + views.get(name) + ", which edgeq only follows"
                    + " as part of a channel shuffle (Reshape to [1,g,C/g,H,W], Transpose 1<->2, Reshape back)");
        }
        if (v == null) {
            throw new Unsupported("input " + i + " '" + name + "' is a constant; edgeq needs a computed tensor there");
        }
        return v;
    }

    /** Records that the node's output i is not computed but stands for {@code view} (read by a later lowering). */
    public void defineView(OnnxNode node, int i, Object view) {
        views.put(node.output(i), view);
    }

    /** The view recorded for the node's input i, or null. */
    public Object view(OnnxNode node, int i) {
        return views.get(node.input(i));
    }

    /** Input i of node as a constant, or null when the input is absent. */
    public OnnxConstant constantOrNull(OnnxNode node, int i, String what) throws Unsupported {
        String name = node.input(i);
        if (name.isEmpty()) {
            return null;
        }
        OnnxConstant c = constants.get(name);
        if (c == null) {
            throw new Unsupported(what + " '" + name + "' is computed at run time; edgeq needs it constant"
                    + " (an initializer or a Constant node)");
        }
        return c;
    }

    public OnnxConstant constant(OnnxNode node, int i, String what) throws Unsupported {
        OnnxConstant c = constantOrNull(node, i, what);
        if (c == null) {
            throw new Unsupported("has no " + what + " input");
        }
        return c;
    }

    /** Registers the activation that the node's output i becomes. */
    public void define(OnnxNode node, int i, Value v) {
        values.put(node.output(i), v);
        usedNames.add(v.name());
    }

    /** A fresh name for an IR tensor the importer creates (weights in new layout, split ops). */
    public String freshName(String base) {
        String name = base;
        int k = 1;
        while (!usedNames.add(name) || values.containsKey(name) || constants.containsKey(name)) {
            name = base + "_" + k++;
        }
        return name;
    }

    public ConversionException shapeError(OnnxNode node, String what) {
        return new ConversionException(source + ": inconsistent shapes at " + node.label() + ": " + what);
    }

    /** Adds an IR node. */
    public Node emit(Node n) {
        return graph.add(n);
    }
}
