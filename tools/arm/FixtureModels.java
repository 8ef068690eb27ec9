import dev.edgeq.format.Activation;
import dev.edgeq.format.FusedActivation;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ops.OpRegistry;
import dev.edgeq.runtime.testing.ModelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes the two fixture models that tools/arm-check evaluates beside the bundled models/*.eqm: a
 * float one (conv with padding and stride, depthwise, pools, dense, sigmoid, softmax) and an int8
 * one (the same kinds of layers through the int8 kernels, with channel counts that are not
 * multiples of the vector widths, so the kernels' tails run on 128-bit ARM and 512-bit x86 alike).
 * They make sure both paths are compared across JVMs whatever models/ holds. Random weights with a
 * fixed seed: the point is identical bits on every JVM, not accuracy.
 *
 * <p>Run with the source launcher on the runtime's test classpath (it uses the tests' ModelBuilder):
 * {@code java -cp CLASSPATH tools/arm/FixtureModels.java OUT_DIR}.
 */
public final class FixtureModels {
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: FixtureModels OUT_DIR");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        write(dir.resolve("fixture-float-cnn.eqm"), floatCnn(20261122L));
        write(dir.resolve("fixture-int8-cnn.eqm"), int8Cnn(20261123L));
    }

    private static void write(Path file, ModelFile model) throws Exception {
        byte[] bytes = model.toByteArray();
        // fail here, naming the model and operator, rather than later under emulation
        OpRegistry.builtins().validate(Model.fromBytes(bytes));
        Files.write(file, bytes);
        System.out.println(file);
    }

    /**
     * 28x28x1 -> conv3x3(16, pad 1, relu) -> maxpool2 -> depthwise3x3(x2, pad 1, relu6) ->
     * conv3x3(32, stride 2, pad 1) -> sigmoid -> avgpool2 (count_include_pad) -> dense(64, relu)
     * -> dense(10) -> softmax. About 0.6 M MACs.
     */
    static ModelFile floatCnn(long seed) {
        Random r = new Random(seed);
        String[] labels = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
            "Ankle boot"};
        ModelBuilder b = new ModelBuilder().name("fixture-float-cnn").labels(labels).inputSpec(28, 28, 1, 0.286f, 0.353f);
        int x = b.floatActivation("input", 1, 28, 28, 1);

        int w1 = b.floatConstant("w1", ModelBuilder.randomFloats(r, 16 * 9, 0.4f), 16, 3, 3, 1);
        int b1 = b.floatConstant("b1", ModelBuilder.randomFloats(r, 16, 0.1f), 16);
        int c1 = b.floatActivation("c1", 1, 28, 28, 16);
        b.op(ModelBuilder.op("conv1", OpType.CONV_2D, c1, x, w1, b1)
                .setConv(ModelBuilder.conv(1, 1).setActivation(act(Activation.ACTIVATION_RELU))).build());

        int p1 = b.floatActivation("p1", 1, 14, 14, 16);
        b.op(ModelBuilder.op("pool1", OpType.MAX_POOL_2D, p1, c1).setPool(ModelBuilder.pool(2, 2)).build());

        int wd = b.floatConstant("wdw", ModelBuilder.randomFloats(r, 9 * 32, 0.3f), 1, 3, 3, 32);
        int bd = b.floatConstant("bdw", ModelBuilder.randomFloats(r, 32, 0.1f), 32);
        int d1 = b.floatActivation("dw", 1, 14, 14, 32);
        b.op(ModelBuilder.op("dw", OpType.DEPTHWISE_CONV_2D, d1, p1, wd, bd)
                .setConv(ModelBuilder.conv(1, 1).setDepthMultiplier(2).setActivation(act(Activation.ACTIVATION_RELU6))).build());

        int w2 = b.floatConstant("w2", ModelBuilder.randomFloats(r, 32 * 9 * 32, 0.1f), 32, 3, 3, 32);
        int b2 = b.floatConstant("b2", ModelBuilder.randomFloats(r, 32, 0.1f), 32);
        int c2 = b.floatActivation("c2", 1, 7, 7, 32);
        b.op(ModelBuilder.op("conv2", OpType.CONV_2D, c2, d1, w2, b2).setConv(ModelBuilder.conv(2, 1)).build());

        int s2 = b.floatActivation("sig", 1, 7, 7, 32);
        b.op(ModelBuilder.op("sigmoid", OpType.SIGMOID, s2, c2).build());

        int p2 = b.floatActivation("p2", 1, 4, 4, 32);
        b.op(ModelBuilder.op("pool2", OpType.AVERAGE_POOL_2D, p2, s2).setPool(ModelBuilder.pool(2, 2)
                .setPadding(dev.edgeq.format.Padding.newBuilder().setBottom(1).setRight(1)).setCountIncludePad(true)).build());

        int flat = b.floatActivation("flat", 1, 4 * 4 * 32);
        b.op(ModelBuilder.op("flatten", OpType.RESHAPE, flat, p2).build());

        int wf1 = b.floatConstant("wf1", ModelBuilder.randomFloats(r, 64 * 512, 0.05f), 64, 512);
        int bf1 = b.floatConstant("bf1", ModelBuilder.randomFloats(r, 64, 0.1f), 64);
        int f1 = b.floatActivation("fc1", 1, 64);
        b.op(ModelBuilder.op("fc1", OpType.FULLY_CONNECTED, f1, flat, wf1, bf1).setFullyConnected(
                dev.edgeq.format.FullyConnectedOptions.newBuilder().setActivation(act(Activation.ACTIVATION_RELU))).build());

        int wf2 = b.floatConstant("wf2", ModelBuilder.randomFloats(r, 10 * 64, 0.2f), 10, 64);
        int bf2 = b.floatConstant("bf2", ModelBuilder.randomFloats(r, 10, 0.1f), 10);
        int logits = b.floatActivation("logits", 1, 10);
        b.op(ModelBuilder.op("fc2", OpType.FULLY_CONNECTED, logits, f1, wf2, bf2).setFullyConnected(ModelBuilder.fc()).build());

        int probs = b.floatActivation("probs", 1, 10);
        b.op(ModelBuilder.op("softmax", OpType.SOFTMAX, probs, logits).build());
        return b.io(x, probs).build();
    }

    /**
     * 28x28x1 int8 -> conv3x3(20, pad 1, relu) -> maxpool2 -> depthwise3x3(pad 1, relu6) ->
     * conv3x3(36, stride 2, pad 1, relu) -> avgpool2 (padded) -> dense(48, relu) -> dense(10), int8
     * output. Per-channel weight scales; activation scales chosen so values spread over the int8
     * range rather than saturate. About 0.5 M MACs.
     */
    static ModelFile int8Cnn(long seed) {
        Random r = new Random(seed);
        String[] labels = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
            "Ankle boot"};
        float mean = 0.286f;
        float std = 0.353f;
        ModelBuilder b = new ModelBuilder().name("fixture-int8-cnn").labels(labels).inputSpec(28, 28, 1, mean, std);
        float lo = -mean / std;
        float hi = (1 - mean) / std;
        float inScale = (hi - lo) / 255f;
        int x = b.int8Activation("input", inScale, Math.round(-128 - lo / inScale), 1, 28, 28, 1);

        float s1 = 0.04f;
        int c1 = b.int8Activation("c1", s1, -128, 1, 28, 28, 20);
        b.op(ModelBuilder.op("conv1", OpType.CONV_2D, c1, x, int8Weights(b, r, "w1", 0, inScale, s1, 20, 3, 3, 1),
                int8Bias(b, r, "b1", 20)).setConv(ModelBuilder.conv(1, 1).setActivation(act(Activation.ACTIVATION_RELU))).build());

        int p1 = b.int8Activation("p1", s1, -128, 1, 14, 14, 20);
        b.op(ModelBuilder.op("pool1", OpType.MAX_POOL_2D, p1, c1).setPool(ModelBuilder.pool(2, 2)).build());

        float s2 = 6f / 255f;
        int d1 = b.int8Activation("dw", s2, -128, 1, 14, 14, 20);
        b.op(ModelBuilder.op("dw", OpType.DEPTHWISE_CONV_2D, d1, p1, int8Weights(b, r, "wdw", 3, s1, s2, 1, 3, 3, 20),
                int8Bias(b, r, "bdw", 20)).setConv(ModelBuilder.conv(1, 1).setDepthMultiplier(1)
                .setActivation(act(Activation.ACTIVATION_RELU6))).build());

        float s3 = 0.05f;
        int c2 = b.int8Activation("c2", s3, -128, 1, 7, 7, 36);
        b.op(ModelBuilder.op("conv2", OpType.CONV_2D, c2, d1, int8Weights(b, r, "w2", 0, s2, s3, 36, 3, 3, 20),
                int8Bias(b, r, "b2", 36)).setConv(ModelBuilder.conv(2, 1).setActivation(act(Activation.ACTIVATION_RELU))).build());

        int p2 = b.int8Activation("p2", s3, -128, 1, 4, 4, 36);
        b.op(ModelBuilder.op("pool2", OpType.AVERAGE_POOL_2D, p2, c2).setPool(ModelBuilder.pool(2, 2)
                .setPadding(dev.edgeq.format.Padding.newBuilder().setBottom(1).setRight(1))).build());

        int flat = b.int8Activation("flat", s3, -128, 1, 4 * 4 * 36);
        b.op(ModelBuilder.op("flatten", OpType.RESHAPE, flat, p2).build());

        float s4 = 0.06f;
        int f1 = b.int8Activation("fc1", s4, -128, 1, 48);
        b.op(ModelBuilder.op("fc1", OpType.FULLY_CONNECTED, f1, flat, int8Weights(b, r, "wf1", 0, s3, s4, 48, 576),
                int8Bias(b, r, "bf1", 48)).setFullyConnected(dev.edgeq.format.FullyConnectedOptions.newBuilder()
                .setActivation(act(Activation.ACTIVATION_RELU))).build());

        int logits = b.int8Activation("logits", 0.1f, 3, 1, 10);
        b.op(ModelBuilder.op("fc2", OpType.FULLY_CONNECTED, logits, f1, int8Weights(b, r, "wf2", 0, s4, 0.1f, 10, 48),
                int8Bias(b, r, "bf2", 10)).setFullyConnected(ModelBuilder.fc()).build());
        return b.io(x, logits).build();
    }

    /**
     * Symmetric int8 weights with one scale per output channel (along {@code axis}). The factor 75
     * was found by trying: the fixture's outputs then take 254 distinct int8 values on the first
     * 1000 Fashion-MNIST test images, 17 of the 10,000 saturated (40 gives a narrow band, 120 mostly
     * saturates), so the comparison sees real requantization results rather than clamps.
     */
    private static int int8Weights(ModelBuilder b, Random r, String name, int axis, float inScale, float outScale,
            int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        int channels = shape[axis];
        int k = n / channels;
        byte[] q = new byte[n];
        for (int i = 0; i < n; i++) {
            q[i] = (byte) (r.nextInt(255) - 127);
        }
        // |x - zp| ~ 64 and |w| ~ 64 on average: the accumulator's spread is about sqrt(K) * 64 * 64.
        double base = 75 * outScale / (Math.sqrt(k) * 64 * 64 * inScale);
        dev.edgeq.format.Quantization.Builder quant = dev.edgeq.format.Quantization.newBuilder().setQuantizedDimension(axis);
        for (int c = 0; c < channels; c++) {
            quant.addScale((float) (base * (0.5 + r.nextDouble()))).addZeroPoint(0);
        }
        return b.int8Constant(name, q, quant.build(), shape);
    }

    private static int int8Bias(ModelBuilder b, Random r, String name, int channels) {
        int[] bias = new int[channels];
        for (int c = 0; c < channels; c++) {
            bias[c] = r.nextInt(4001) - 2000;
        }
        return b.int32Constant(name, bias, channels);
    }

    private static FusedActivation act(Activation type) {
        return FusedActivation.newBuilder().setType(type).build();
    }
}
