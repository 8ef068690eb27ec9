package dev.edgeq.converter.testing;

import com.google.protobuf.ByteString;
import dev.edgeq.onnx.AttributeProto;
import dev.edgeq.onnx.GraphProto;
import dev.edgeq.onnx.ModelProto;
import dev.edgeq.onnx.NodeProto;
import dev.edgeq.onnx.OperatorSetIdProto;
import dev.edgeq.onnx.TensorProto;
import dev.edgeq.onnx.TensorShapeProto;
import dev.edgeq.onnx.TypeProto;
import dev.edgeq.onnx.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Builds ONNX models in tests (ir_version 8, opset 13 unless asked otherwise). Float
 * initializers go into raw_data (cheap for large models); node outputs get generated names.
 *
 * <pre>
 *   OnnxBuilder b = new OnnxBuilder();
 *   String x = b.input("x", 1, 3, 32, 32);
 *   String y = b.node("Conv", new String[] {x, b.random("w", rng, 6, 3, 5, 5)}, OnnxBuilder.ints("pads", 1, 1, 1, 1));
 *   b.output(y);
 *   ModelProto m = b.build();
 * </pre>
 */
public final class OnnxBuilder {
    private final int opset;
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("test");
    private int counter;

    public OnnxBuilder() {
        this(13);
    }

    public OnnxBuilder(int opset) {
        this.opset = opset;
    }

    public int opset() {
        return opset;
    }

    /** A float graph input; a dim of -1 becomes a symbolic dimension "N". */
    public String input(String name, int... dims) {
        graph.addInput(valueInfo(name, dims));
        return name;
    }

    /** A graph output (float, shape left for the consumer to infer). */
    public OnnxBuilder output(String name) {
        graph.addOutput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
        return this;
    }

    /** A float initializer in raw_data. */
    public String init(String name, float[] data, int... dims) {
        graph.addInitializer(floatTensor(name, data, dims));
        return name;
    }

    /** A float initializer in the typed float_data field. */
    public String initTyped(String name, float[] data, int... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (int d : dims) {
            t.addDims(d);
        }
        for (float f : data) {
            t.addFloatData(f);
        }
        graph.addInitializer(t);
        return name;
    }

    /** An int64 initializer (shapes, pads) in int64_data. */
    public String initLongs(String name, long[] data, int... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE);
        for (int d : dims) {
            t.addDims(d);
        }
        for (long v : data) {
            t.addInt64Data(v);
        }
        graph.addInitializer(t);
        return name;
    }

    /** A float initializer of uniform random values in [-scale, scale). */
    public String random(String name, Random rng, float scale, int... dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (rng.nextFloat() * 2 - 1) * scale;
        }
        return init(name, v, dims);
    }

    public String fresh(String prefix) {
        return prefix + "_" + counter++;
    }

    /** Adds a node with one output (named after the op) and returns that output's name. */
    public String node(String opType, String[] inputs, AttributeProto... attributes) {
        String out = fresh(opType.toLowerCase());
        nodeWithOutputs(opType, inputs, new String[] {out}, attributes);
        return out;
    }

    public String node(String opType, String input, AttributeProto... attributes) {
        return node(opType, new String[] {input}, attributes);
    }

    public NodeProto nodeWithOutputs(String opType, String[] inputs, String[] outputs, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(fresh(opType));
        for (String i : inputs) {
            n.addInput(i);
        }
        for (String o : outputs) {
            n.addOutput(o);
        }
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        NodeProto built = n.build();
        graph.addNode(built);
        return built;
    }

    public ModelProto build() {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("edgeq-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph).build();
    }

    // ---- attributes ----

    public static AttributeProto ints(String name, int... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (int v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    public static AttributeProto i(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static AttributeProto f(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    public static AttributeProto floats(String name, float... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS);
        for (float v : values) {
            a.addFloats(v);
        }
        return a.build();
    }

    public static AttributeProto s(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    public static AttributeProto t(String name, TensorProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(value).build();
    }

    // ---- tensors ----

    public static TensorProto floatTensor(String name, float[] data, int... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (int d : dims) {
            t.addDims(d);
        }
        ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        return t.setRawData(ByteString.copyFrom(buf.array())).build();
    }

    public static ValueInfoProto valueInfo(String name, int... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (int d : dims) {
            shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape))).build();
    }

    /** Random floats in [-1, 1). */
    public static float[] randomData(Random rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextFloat() * 2 - 1;
        }
        return v;
    }
}
