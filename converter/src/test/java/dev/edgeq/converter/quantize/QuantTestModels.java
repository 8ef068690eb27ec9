package dev.edgeq.converter.quantize;

import static dev.edgeq.runtime.testing.ModelBuilder.conv;
import static dev.edgeq.runtime.testing.ModelBuilder.op;
import static dev.edgeq.runtime.testing.ModelBuilder.pool;

import dev.edgeq.converter.dataset.LabeledImages;
import dev.edgeq.format.Activation;
import dev.edgeq.format.AddOptions;
import dev.edgeq.format.FullyConnectedOptions;
import dev.edgeq.format.FusedActivation;
import dev.edgeq.format.LeakyReluOptions;
import dev.edgeq.format.LrnOptions;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Padding;
import dev.edgeq.format.SoftmaxOptions;
import dev.edgeq.runtime.testing.ModelBuilder;
import java.util.List;
import java.util.Random;

/** Float models and calibration images for the quantizer tests. */
final class QuantTestModels {
    private QuantTestModels() {}

    static FusedActivation act(Activation a) {
        return FusedActivation.newBuilder().setType(a).build();
    }

    /** He-initialised weights: keeps activations of order 1 through random layers. */
    static float[] he(Random r, int n, int fanIn) {
        return ModelBuilder.randomFloats(r, n, (float) Math.sqrt(2.0 / fanIn));
    }

    /**
     * Every int8 op and a float island: conv3x3 (relu6) -> depthwise3x3 (relu) -> conv1x1 -> residual
     * add with the first conv (relu) -> avgpool2 -> LRN (float) -> conv3x3 stride 2 (relu) -> dilated
     * conv3x3 (relu) -> maxpool2 -> reshape -> dense 24 (relu) -> dense 10 -> softmax (float).
     */
    static ModelFile kitchenSink(long seed) {
        Random r = new Random(seed);
        ModelBuilder b = new ModelBuilder().name("kitchen-sink").inputSpec(16, 16, 1, 0.286f, 0.353f)
                .labels("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        int x = b.floatActivation("input", 1, 16, 16, 1);
        int w1 = b.floatConstant("conv1/w", he(r, 8 * 9, 9), 8, 3, 3, 1);
        int b1 = b.floatConstant("conv1/b", ModelBuilder.randomFloats(r, 8, 0.1f), 8);
        int c1 = b.floatActivation("conv1", 1, 16, 16, 8);
        b.op(op("conv1", OpType.CONV_2D, c1, x, w1, b1).setConv(conv(1, 1).setActivation(act(Activation.ACTIVATION_RELU6))).build());
        int wd = b.floatConstant("dw/w", he(r, 9 * 8, 9), 1, 3, 3, 8);
        int bd = b.floatConstant("dw/b", ModelBuilder.randomFloats(r, 8, 0.1f), 8);
        int d1 = b.floatActivation("dw", 1, 16, 16, 8);
        b.op(op("dw", OpType.DEPTHWISE_CONV_2D, d1, c1, wd, bd)
                .setConv(conv(1, 1).setDepthMultiplier(1).setActivation(act(Activation.ACTIVATION_RELU))).build());
        int wp = b.floatConstant("pw/w", he(r, 8 * 8, 8), 8, 1, 1, 8);
        int bp = b.floatConstant("pw/b", ModelBuilder.randomFloats(r, 8, 0.1f), 8);
        int e1 = b.floatActivation("pw", 1, 16, 16, 8);
        b.op(op("pw", OpType.CONV_2D, e1, d1, wp, bp).setConv(conv(1, 0)).build());
        int a1 = b.floatActivation("residual", 1, 16, 16, 8);
        b.op(op("residual", OpType.ADD, a1, e1, c1)
                .setAdd(AddOptions.newBuilder().setActivation(act(Activation.ACTIVATION_RELU))).build());
        int p1 = b.floatActivation("avgpool", 1, 8, 8, 8);
        b.op(op("avgpool", OpType.AVERAGE_POOL_2D, p1, a1).setPool(pool(2, 2)).build());
        int l1 = b.floatActivation("lrn", 1, 8, 8, 8);
        b.op(op("lrn", OpType.LRN, l1, p1).setLrn(LrnOptions.newBuilder().setSize(5).setAlpha(1e-2f).setBeta(0.75f).setBias(1f)).build());
        int w3 = b.floatConstant("conv3/w", he(r, 16 * 9 * 8, 72), 16, 3, 3, 8);
        int b3 = b.floatConstant("conv3/b", ModelBuilder.randomFloats(r, 16, 0.1f), 16);
        int c3 = b.floatActivation("conv3", 1, 4, 4, 16);
        b.op(op("conv3", OpType.CONV_2D, c3, l1, w3, b3).setConv(conv(2, 1).setActivation(act(Activation.ACTIVATION_RELU))).build());
        int w4 = b.floatConstant("dilated/w", he(r, 16 * 9 * 16, 144), 16, 3, 3, 16);
        int c4 = b.floatActivation("dilated", 1, 4, 4, 16);
        b.op(op("dilated", OpType.CONV_2D, c4, c3, w4, -1).setConv(conv(1, 2).setDilationH(2).setDilationW(2)
                .setActivation(act(Activation.ACTIVATION_RELU))).build());
        int p2 = b.floatActivation("maxpool", 1, 2, 2, 16);
        b.op(op("maxpool", OpType.MAX_POOL_2D, p2, c4).setPool(pool(2, 2)).build());
        int flat = b.floatActivation("flatten", 1, 64);
        b.op(op("flatten", OpType.RESHAPE, flat, p2).build());
        int wf = b.floatConstant("fc1/w", he(r, 24 * 64, 64), 24, 64);
        int bf = b.floatConstant("fc1/b", ModelBuilder.randomFloats(r, 24, 0.1f), 24);
        int f1 = b.floatActivation("fc1", 1, 24);
        b.op(op("fc1", OpType.FULLY_CONNECTED, f1, flat, wf, bf)
                .setFullyConnected(FullyConnectedOptions.newBuilder().setActivation(act(Activation.ACTIVATION_RELU))).build());
        int wl = b.floatConstant("logits/w", he(r, 10 * 24, 24), 10, 24);
        int bl = b.floatConstant("logits/b", ModelBuilder.randomFloats(r, 10, 0.1f), 10);
        int logits = b.floatActivation("logits", 1, 10);
        b.op(op("logits", OpType.FULLY_CONNECTED, logits, f1, wl, bl).setFullyConnected(ModelBuilder.fc()).build());
        int probs = b.floatActivation("softmax", 1, 10);
        b.op(op("softmax", OpType.SOFTMAX, probs, logits).setSoftmax(SoftmaxOptions.newBuilder().setBeta(1f)).build());
        return b.io(x, probs).build();
    }

    /**
     * Float ops between int8 ones and a float first op: PAD (float) -> conv3x3 -> LEAKY_RELU (float)
     * -> SIGMOID (float) -> conv3x3 stride 2 -> global average pool -> global max pool ... ->
     * reshape -> dense 5 (int8 logits out).
     */
    static ModelFile floatIslands(long seed) {
        Random r = new Random(seed);
        ModelBuilder b = new ModelBuilder().name("islands").inputSpec(10, 10, 3, 0.45f, 0.25f).labels("a", "b", "c", "d", "e");
        int x = b.floatActivation("input", 1, 10, 10, 3);
        int padded = b.floatActivation("pad", 1, 12, 12, 3);
        b.op(op("pad", OpType.PAD, padded, x).setPad(dev.edgeq.format.PadOptions.newBuilder()
                .setPadding(Padding.newBuilder().setTop(1).setLeft(1).setBottom(1).setRight(1)).setValue(0.5f)).build());
        int w1 = b.floatConstant("conv1/w", he(r, 6 * 27, 27), 6, 3, 3, 3);
        int b1 = b.floatConstant("conv1/b", ModelBuilder.randomFloats(r, 6, 0.1f), 6);
        int c1 = b.floatActivation("conv1", 1, 10, 10, 6);
        b.op(op("conv1", OpType.CONV_2D, c1, padded, w1, b1).setConv(conv(1, 0)).build());
        int lr = b.floatActivation("leaky", 1, 10, 10, 6);
        b.op(op("leaky", OpType.LEAKY_RELU, lr, c1).setLeakyRelu(LeakyReluOptions.newBuilder().setAlpha(0.1f)).build());
        int sg = b.floatActivation("sigmoid", 1, 10, 10, 6);
        b.op(op("sigmoid", OpType.SIGMOID, sg, lr).build());
        int w2 = b.floatConstant("conv2/w", he(r, 12 * 54, 54), 12, 3, 3, 6);
        int b2 = b.floatConstant("conv2/b", ModelBuilder.randomFloats(r, 12, 0.1f), 12);
        int c2 = b.floatActivation("conv2", 1, 5, 5, 12);
        b.op(op("conv2", OpType.CONV_2D, c2, sg, w2, b2).setConv(conv(2, 1)).build());
        int gap = b.floatActivation("gap", 1, 1, 1, 12);
        b.op(op("gap", OpType.GLOBAL_AVERAGE_POOL, gap, c2).build());
        int flat = b.floatActivation("flatten", 1, 12);
        b.op(op("flatten", OpType.RESHAPE, flat, gap).build());
        int wl = b.floatConstant("logits/w", he(r, 5 * 12, 12), 5, 12);
        int logits = b.floatActivation("logits", 1, 5);
        b.op(op("logits", OpType.FULLY_CONNECTED, logits, flat, wl, -1).setFullyConnected(ModelBuilder.fc()).build());
        return b.io(x, logits).build();
    }

    /** Random images with some spatial structure (smooth gradients plus noise), labels all 0. */
    static LabeledImages images(int count, int h, int w, int c, long seed) {
        Random r = new Random(seed);
        byte[][] data = new byte[count][h * w * c];
        for (byte[] img : data) {
            double gx = r.nextGaussian() * 20;
            double gy = r.nextGaussian() * 20;
            double base = 60 + r.nextInt(120);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        double v = base + gx * (x - w / 2.0) / w * 4 + gy * (y - h / 2.0) / h * 4 + r.nextGaussian() * 30;
                        img[(y * w + x) * c + ch] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
                    }
                }
            }
        }
        return new LabeledImages() {
            public int size() { return count; }
            public int height() { return h; }
            public int width() { return w; }
            public int channels() { return c; }
            public List<String> classNames() { return List.of(); }
            public int label(int index) { return 0; }
            public void pixels(int index, byte[] dst, int offset) { System.arraycopy(data[index], 0, dst, offset, data[index].length); }
            public String description() { return "random:" + count + "x" + h + "x" + w + "x" + c; }
        };
    }
}
