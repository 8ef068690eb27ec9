package dev.edgeq.converter.export;

import com.google.protobuf.ByteString;
import dev.edgeq.onnx.AttributeProto;
import dev.edgeq.onnx.GraphProto;
import dev.edgeq.onnx.NodeProto;
import dev.edgeq.onnx.TensorProto;
import dev.edgeq.onnx.TensorShapeProto;
import dev.edgeq.onnx.TypeProto;
import dev.edgeq.onnx.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;

/**
 * Accumulates ONNX nodes and initializers with unique value names: the small vocabulary that
 * {@link OnnxExporter} speaks (initializers of each element type, nodes with attributes).
 */
public final class OnnxGraphWriter {
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();

    OnnxGraphWriter(String name) {
        graph.setName(name);
    }

    /** A value name derived from {@code base} that no other value has. */
    public String fresh(String base) {
        String clean = base.isEmpty() ? "v" : base;
        String name = clean;
        for (int k = 1; !names.add(name); k++) {
            name = clean + "_" + k;
        }
        return name;
    }

    public String node(String opType, String[] inputs, String outputBase, AttributeProto... attributes) {
        String out = fresh(outputBase);
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(out + "/" + opType);
        for (String in : inputs) {
            n.addInput(in);
        }
        n.addOutput(out);
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return out;
    }

    public String floats(String base, float[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            b.putFloat(v);
        }
        return initializer(base, TensorProto.DataType.FLOAT_VALUE, b.array(), dims);
    }

    public String int8s(String base, byte[] data, long... dims) {
        return initializer(base, TensorProto.DataType.INT8_VALUE, data, dims);
    }

    public String int32s(String base, int[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : data) {
            b.putInt(v);
        }
        return initializer(base, TensorProto.DataType.INT32_VALUE, b.array(), dims);
    }

    public String int64s(String base, long[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : data) {
            b.putLong(v);
        }
        return initializer(base, TensorProto.DataType.INT64_VALUE, b.array(), dims);
    }

    private String initializer(String base, int type, byte[] raw, long... dims) {
        String name = fresh(base);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type).setRawData(ByteString.copyFrom(raw));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    void input(String name, int elemType, long... dims) {
        names.add(name);
        graph.addInput(valueInfo(name, elemType, dims));
    }

    void output(String name, int elemType, long... dims) {
        graph.addOutput(valueInfo(name, elemType, dims));
    }

    GraphProto build() {
        return graph.build();
    }

    private static ValueInfoProto valueInfo(String name, int elemType, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
    }

    public static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    public static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }
}
