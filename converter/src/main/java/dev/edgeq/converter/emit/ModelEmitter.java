package dev.edgeq.converter.emit;

import com.google.protobuf.ByteString;
import dev.edgeq.converter.EqmFormat;
import dev.edgeq.converter.ir.Graph;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.converter.ops.OperatorOptions;
import dev.edgeq.format.DataType;
import dev.edgeq.format.FormatVersion;
import dev.edgeq.format.Metadata;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.Operator;
import dev.edgeq.format.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/** Graph IR -> float {@link ModelFile}: tensors numbered in first-use order, constants as little-endian FLOAT32. */
public final class ModelEmitter {
    private final ModelFile.Builder model = ModelFile.newBuilder();
    private final Map<Value, Integer> index = new IdentityHashMap<>();
    private final Set<String> names = new HashSet<>();

    private ModelEmitter() {
    }

    public static ModelFile emitFloat(Graph graph, Metadata metadata) {
        ModelEmitter e = new ModelEmitter();
        e.model.setFormatVersion(FormatVersion.newBuilder().setMajor(EqmFormat.MAJOR).setMinor(EqmFormat.MINOR));
        e.model.setMetadata(metadata);
        for (Value in : graph.inputs()) {
            e.model.addInputs(e.tensor(in));
        }
        for (Node n : graph.nodes()) {
            Operator.Builder op = Operator.newBuilder().setName(n.name()).setType(n.type());
            for (Value in : n.inputs()) {
                op.addInputs(in == null ? -1 : e.tensor(in));
            }
            for (Value out : n.outputs()) {
                op.addOutputs(e.tensor(out));
            }
            setOptions(op, n);
            e.model.addOperators(op);
        }
        for (Value out : graph.outputs()) {
            e.model.addOutputs(e.tensor(out));
        }
        return e.model.build();
    }

    private int tensor(Value v) {
        Integer i = index.get(v);
        if (i != null) {
            return i;
        }
        String name = v.name();
        for (int k = 1; !names.add(name); k++) {
            name = v.name() + "_" + k;
        }
        Tensor.Builder t = Tensor.newBuilder().setName(name).setType(DataType.FLOAT32);
        for (int d : v.shape()) {
            t.addShape(d);
        }
        if (v.isConstant()) {
            float[] data = v.data();
            ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(data);
            t.setData(ByteString.copyFrom(buf.array()));
        }
        int id = model.getTensorsCount();
        model.addTensors(t);
        index.put(v, id);
        return id;
    }

    private static void setOptions(Operator.Builder op, Node n) {
        if (n.options() != null) {
            OperatorOptions.set(op, n.options());
        }
    }
}
