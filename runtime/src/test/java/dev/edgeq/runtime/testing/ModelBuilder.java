package dev.edgeq.runtime.testing;

import com.google.protobuf.ByteString;
import dev.edgeq.format.ColorMode;
import dev.edgeq.format.ConvOptions;
import dev.edgeq.format.DataType;
import dev.edgeq.format.FormatVersion;
import dev.edgeq.format.FullyConnectedOptions;
import dev.edgeq.format.FusedActivation;
import dev.edgeq.format.InputSpec;
import dev.edgeq.format.Metadata;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.format.Padding;
import dev.edgeq.format.PoolOptions;
import dev.edgeq.format.Quantization;
import dev.edgeq.format.Tensor;
import dev.edgeq.runtime.ModelFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Builds small .eqm models in tests (float unless quantization is given). */
public final class ModelBuilder {
    private final ModelFile.Builder file = ModelFile.newBuilder()
            .setFormatVersion(FormatVersion.newBuilder().setMajor(ModelFormat.MAJOR).setMinor(ModelFormat.MINOR));
    private final Metadata.Builder metadata = Metadata.newBuilder().setModelName("test").setProducer("test");

    public ModelBuilder name(String name) {
        metadata.setModelName(name);
        return this;
    }

    public ModelBuilder labels(String... labels) {
        for (String l : labels) {
            metadata.addLabels(l);
        }
        return this;
    }

    public ModelBuilder inputSpec(int h, int w, int c, float mean, float std) {
        metadata.setInputSpec(InputSpec.newBuilder().setHeight(h).setWidth(w).setChannels(c)
                .setColor(c == 1 ? ColorMode.GRAY : ColorMode.RGB).setPixelScale(1f / 255f).addMean(mean).addStd(std));
        return this;
    }

    /** An activation tensor (no data). Returns its index. */
    public int activation(String name, DataType type, int... shape) {
        Tensor.Builder t = Tensor.newBuilder().setName(name).setType(type);
        for (int d : shape) {
            t.addShape(d);
        }
        file.addTensors(t);
        return file.getTensorsCount() - 1;
    }

    public int floatActivation(String name, int... shape) {
        return activation(name, DataType.FLOAT32, shape);
    }

    /** An int8 activation with per-tensor quantization. */
    public int int8Activation(String name, float scale, int zeroPoint, int... shape) {
        int index = activation(name, DataType.INT8, shape);
        file.setTensors(index, file.getTensors(index).toBuilder()
                .setQuantization(Quantization.newBuilder().addScale(scale).addZeroPoint(zeroPoint)));
        return index;
    }

    public int floatConstant(String name, float[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return constant(name, DataType.FLOAT32, b.array(), null, shape);
    }

    public int int8Constant(String name, byte[] values, Quantization q, int... shape) {
        return constant(name, DataType.INT8, values, q, shape);
    }

    public int int32Constant(String name, int[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return constant(name, DataType.INT32, b.array(), null, shape);
    }

    public int constant(String name, DataType type, byte[] data, Quantization q, int... shape) {
        Tensor.Builder t = Tensor.newBuilder().setName(name).setType(type).setData(ByteString.copyFrom(data));
        for (int d : shape) {
            t.addShape(d);
        }
        if (q != null) {
            t.setQuantization(q);
        }
        file.addTensors(t);
        return file.getTensorsCount() - 1;
    }

    public ModelBuilder op(Operator op) {
        file.addOperators(op);
        return this;
    }

    public static Operator.Builder op(String name, OpType type, int output, int... inputs) {
        Operator.Builder b = Operator.newBuilder().setName(name).setType(type).addOutputs(output);
        for (int i : inputs) {
            b.addInputs(i);
        }
        return b;
    }

    public static ConvOptions.Builder conv(int stride, int padding) {
        return ConvOptions.newBuilder().setStrideH(stride).setStrideW(stride).setDilationH(1).setDilationW(1)
                .setPadding(Padding.newBuilder().setTop(padding).setLeft(padding).setBottom(padding).setRight(padding))
                .setActivation(FusedActivation.getDefaultInstance());
    }

    public static PoolOptions.Builder pool(int kernel, int stride) {
        return PoolOptions.newBuilder().setKernelH(kernel).setKernelW(kernel).setStrideH(stride).setStrideW(stride);
    }

    public static FullyConnectedOptions fc() {
        return FullyConnectedOptions.getDefaultInstance();
    }

    public ModelBuilder io(int input, int output) {
        file.addInputs(input).addOutputs(output);
        return this;
    }

    public ModelFile build() {
        return file.setMetadata(metadata).build();
    }

    public static float[] randomFloats(Random random, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * scale);
        }
        return v;
    }

    /**
     * A small float CNN on a 12x12x1 input: conv3x3(4, relu) -> maxpool2 -> conv3x3(8) ->
     * global average pool -> reshape -> dense(3) -> softmax. Deterministic for a seed.
     */
    public static ModelFile smallFloatCnn(long seed) {
        Random r = new Random(seed);
        ModelBuilder b = new ModelBuilder().name("small-cnn").labels("a", "b", "c").inputSpec(12, 12, 1, 0.5f, 0.25f);
        int x = b.floatActivation("input", 1, 12, 12, 1);
        int w1 = b.floatConstant("w1", randomFloats(r, 4 * 9, 0.5f), 4, 3, 3, 1);
        int b1 = b.floatConstant("b1", randomFloats(r, 4, 0.1f), 4);
        int c1 = b.floatActivation("c1", 1, 12, 12, 4);
        b.op(op("conv1", OpType.CONV_2D, c1, x, w1, b1)
                .setConv(conv(1, 1).setActivation(FusedActivation.newBuilder().setType(dev.edgeq.format.Activation.ACTIVATION_RELU))).build());
        int p1 = b.floatActivation("p1", 1, 6, 6, 4);
        b.op(op("pool1", OpType.MAX_POOL_2D, p1, c1).setPool(pool(2, 2)).build());
        int w2 = b.floatConstant("w2", randomFloats(r, 8 * 9 * 4, 0.3f), 8, 3, 3, 4);
        int c2 = b.floatActivation("c2", 1, 4, 4, 8);
        b.op(op("conv2", OpType.CONV_2D, c2, p1, w2, -1).setConv(conv(1, 0)).build());
        int g = b.floatActivation("gap", 1, 1, 1, 8);
        b.op(op("gap", OpType.GLOBAL_AVERAGE_POOL, g, c2).build());
        int flat = b.floatActivation("flat", 1, 8);
        b.op(op("flatten", OpType.RESHAPE, flat, g).build());
        int wd = b.floatConstant("wd", randomFloats(r, 3 * 8, 0.5f), 3, 8);
        int bd = b.floatConstant("bd", randomFloats(r, 3, 0.1f), 3);
        int logits = b.floatActivation("logits", 1, 3);
        b.op(op("dense", OpType.FULLY_CONNECTED, logits, flat, wd, bd).setFullyConnected(fc()).build());
        int probs = b.floatActivation("probs", 1, 3);
        b.op(op("softmax", OpType.SOFTMAX, probs, logits).build());
        return b.io(x, probs).build();
    }
}
