import dev.edgeq.format.Activation;
import dev.edgeq.format.FusedActivation;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.testing.ModelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes the float fixture model that tools/arm-check evaluates beside the bundled models/*.eqm, so
 * the float path (conv with padding and stride, depthwise, pools, dense, sigmoid, softmax) is
 * compared across JVMs even before or without a bundled float model. Random weights with a fixed
 * seed: the point is identical bits on every JVM, not accuracy.
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
        Path file = dir.resolve("fixture-float-cnn.eqm");
        byte[] bytes = floatCnn(20261122L).toByteArray();
        Model.fromBytes(bytes); // fail here, naming the model, rather than later under emulation
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

    private static FusedActivation act(Activation type) {
        return FusedActivation.newBuilder().setType(type).build();
    }
}
