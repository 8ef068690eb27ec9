package dev.edgeq.converter.passes;

import static dev.edgeq.converter.testing.OnnxBuilder.f;
import static dev.edgeq.converter.testing.OnnxBuilder.i;
import static dev.edgeq.converter.testing.OnnxBuilder.ints;
import static dev.edgeq.converter.testing.OnnxBuilder.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.converter.testing.EdgeqRunner;
import dev.edgeq.converter.testing.OnnxBuilder;
import dev.edgeq.converter.testing.OrtRunner;
import dev.edgeq.format.Activation;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.onnx.ModelProto;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What each float pass does to the emitted model, and that results still match ONNX Runtime. */
class FloatPassesTest {
    private static List<OpType> ops(ModelFile m) {
        return m.getOperatorsList().stream().map(Operator::getType).toList();
    }

    /** Converts, runs edgeq and ORT on one random input, asserts they agree; returns the model. */
    private static ModelFile convertAndCompare(ModelProto m, int... shape) throws Exception {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] in = OnnxBuilder.randomData(new Random(9), n);
        long[] ls = java.util.Arrays.stream(shape).asLongStream().toArray();
        float[] ref = OrtRunner.run(m, "x", in, ls);
        ModelFile f = EdgeqRunner.convert(m);
        float[] got = EdgeqRunner.run(f, in, shape);
        double d = EdgeqRunner.maxScaledDiff(got, ref);
        assertTrue(d <= 1e-4, "edgeq vs ORT: " + d);
        return f;
    }

    private static String bn(OnnxBuilder b, Random rng, String x, int c) {
        float[] var = new float[c];
        for (int k = 0; k < c; k++) {
            var[k] = 0.5f + rng.nextFloat();
        }
        return b.node("BatchNormalization", new String[] {x, b.random(b.fresh("s"), rng, 1f, c),
                b.random(b.fresh("b"), rng, 1f, c), b.random(b.fresh("m"), rng, 1f, c), b.init(b.fresh("v"), var, c)});
    }

    @Test
    void batchNormFoldsIntoConvAndReluFuses() throws Exception {
        OnnxBuilder b = new OnnxBuilder();
        Random rng = new Random(1);
        String x = b.input("x", 1, 3, 9, 9);
        String y = b.node("Conv", new String[] {x, b.random("w", rng, 0.3f, 4, 3, 3, 3)}, ints("kernel_shape", 3, 3));
        y = bn(b, rng, y, 4);
        y = b.node("Relu", y);
        b.output(y);
        ModelFile f = convertAndCompare(b.build(), 1, 3, 9, 9);
        assertEquals(List.of(OpType.CONV_2D), ops(f));
        Operator conv = f.getOperators(0);
        assertTrue(conv.getInputs(2) >= 0, "folding gave the conv a bias");
        assertEquals(Activation.ACTIVATION_RELU, conv.getConv().getActivation().getType());
    }

    @Test
    void batchNormIsAOneByOneDepthwiseConvWhenTheConvOutputIsSharedOrThereIsNoConv() throws Exception {
        OnnxBuilder b = new OnnxBuilder();
        Random rng = new Random(2);
        String x = b.input("x", 1, 2, 6, 6);
        String c = b.node("Conv", new String[] {x, b.random("w", rng, 0.3f, 2, 2, 1, 1)}, ints("kernel_shape", 1, 1));
        String n = bn(b, rng, c, 2);
        b.output(b.node("Add", new String[] {c, n}));
        ModelFile f = convertAndCompare(b.build(), 1, 2, 6, 6);
        assertEquals(List.of(OpType.CONV_2D, OpType.DEPTHWISE_CONV_2D, OpType.ADD), ops(f));

        OnnxBuilder b2 = new OnnxBuilder();
        String x2 = b2.input("x", 1, 3, 4, 4);
        b2.output(bn(b2, rng, x2, 3));
        assertEquals(List.of(OpType.DEPTHWISE_CONV_2D), ops(convertAndCompare(b2.build(), 1, 3, 4, 4)));
    }

    /** (x - mean) / std in front of a conv, as exported with the normalization inside the model. */
    private static ModelProto normalizedConv(boolean subDiv, int pad, int group) {
        OnnxBuilder b = new OnnxBuilder();
        Random rng = new Random(4 + pad + group);
        String x = b.input("x", 1, 3, 7, 7);
        float[] mean = {0.485f, 0.456f, 0.406f};
        float[] std = {0.229f, 0.224f, 0.225f};
        String n;
        if (subDiv) {
            n = b.node("Sub", new String[] {x, b.init("mean", mean, 1, 3, 1, 1)});
            n = b.node("Div", new String[] {n, b.init("std", std, 1, 3, 1, 1)});
        } else {
            float[] scale = new float[3];
            float[] shift = new float[3];
            for (int c = 0; c < 3; c++) {
                scale[c] = 1 / std[c];
                shift[c] = -mean[c] / std[c];
            }
            n = b.node("Mul", new String[] {x, b.init("scale", scale, 3, 1, 1)});
            n = b.node("Add", new String[] {n, b.init("shift", shift, 3, 1, 1)});
        }
        int out = group == 1 ? 4 : 6;
        b.output(b.node("Conv", new String[] {n, b.random("w", rng, 0.5f, out, 3 / group, 3, 3), b.random("b", rng, 0.5f, out)},
                ints("kernel_shape", 3, 3), ints("pads", pad, pad, pad, pad), i("group", group)));
        return b.build();
    }

    @Test
    void inputNormalizationFoldsIntoTheFirstConvWhereExact() throws Exception {
        // no padding: scale and shift fold, for a plain, a depthwise (group 3, multiplier 2) conv, and Mul/Add
        assertEquals(List.of(OpType.CONV_2D), ops(convertAndCompare(normalizedConv(true, 0, 1), 1, 3, 7, 7)));
        assertEquals(List.of(OpType.DEPTHWISE_CONV_2D), ops(convertAndCompare(normalizedConv(true, 0, 3), 1, 3, 7, 7)));
        assertEquals(List.of(OpType.CONV_2D), ops(convertAndCompare(normalizedConv(false, 0, 1), 1, 3, 7, 7)));
        // padding: the scale folds (a padded zero stays zero), the shift does not (the model pads x - mean with
        // zeros, i.e. x with the mean): it stays as a 1x1 depthwise conv; ORT agrees on the border outputs too
        ModelFile padded = convertAndCompare(normalizedConv(true, 1, 1), 1, 3, 7, 7);
        assertEquals(List.of(OpType.DEPTHWISE_CONV_2D, OpType.CONV_2D), ops(padded));
        Operator shift = padded.getOperators(0);
        assertTrue(padded.getTensors(shift.getInputs(1)).getName().contains("mean") || shift.getName().contains("Sub"),
                "the depthwise conv left is the Sub: " + shift.getName());
    }

    @Test
    void clipVariantsBecomeTheRightFusedActivation() throws Exception {
        // opset 13: bounds as inputs (one from a Constant node); 0..6 is RELU6
        OnnxBuilder b = new OnnxBuilder();
        Random rng = new Random(3);
        String x = b.input("x", 1, 2, 5, 5);
        String lo = b.node("Constant", new String[0], f("value_float", 0f));
        String y = b.node("Conv", new String[] {x, b.random("w", rng, 2f, 3, 2, 3, 3)}, ints("kernel_shape", 3, 3));
        y = b.node("Clip", new String[] {y, lo, b.init("hi", new float[] {6f})});
        b.output(y);
        ModelFile f = convertAndCompare(b.build(), 1, 2, 5, 5);
        assertEquals(Activation.ACTIVATION_RELU6, f.getOperators(0).getConv().getActivation().getType());

        // opset 10: bounds as attributes
        OnnxBuilder o = new OnnxBuilder(10);
        String x2 = o.input("x", 1, 2, 5, 5);
        String z = o.node("Conv", new String[] {x2, o.random("w", rng, 2f, 3, 2, 3, 3)}, ints("kernel_shape", 3, 3));
        z = o.node("Clip", new String[] {z}, f("min", -0.5f), f("max", 0.25f));
        o.output(z);
        ModelFile g = convertAndCompare(o.build(), 1, 2, 5, 5);
        var act = g.getOperators(0).getConv().getActivation();
        assertEquals(Activation.ACTIVATION_CLIP, act.getType());
        assertEquals(-0.5f, act.getMin());
        assertEquals(0.25f, act.getMax());

        // Clip with only a lower bound 0 is a ReLU
        OnnxBuilder r = new OnnxBuilder();
        String x3 = r.input("x", 1, 4);
        String d = r.node("Gemm", new String[] {x3, r.random("w", rng, 1f, 3, 4)}, i("transB", 1));
        r.output(r.node("Clip", new String[] {d, r.init("lo", new float[] {0f})}));
        ModelFile h = convertAndCompare(r.build(), 1, 4);
        assertEquals(Activation.ACTIVATION_RELU, h.getOperators(0).getFullyConnected().getActivation().getType());
    }

    @Test
    void zeroPadFusesIntoConvAndAveragePoolButNotMaxPool() throws Exception {
        for (String next : new String[] {"Conv", "AveragePool", "MaxPool"}) {
            OnnxBuilder b = new OnnxBuilder(11);
            Random rng = new Random(4);
            String x = b.input("x", 1, 2, 6, 7);
            String p = b.node("Pad", new String[] {x, b.initLongs("pads", new long[] {0, 0, 1, 2, 0, 0, 2, 1}, 8)},
                    s("mode", "constant"));
            String y = next.equals("Conv")
                    ? b.node("Conv", new String[] {p, b.random("w", rng, 0.5f, 3, 2, 3, 3)}, ints("kernel_shape", 3, 3))
                    : b.node(next, new String[] {p}, ints("kernel_shape", 3, 3), ints("strides", 2, 2));
            b.output(y);
            ModelFile f = convertAndCompare(b.build(), 1, 2, 6, 7);
            if (next.equals("MaxPool")) {
                assertEquals(List.of(OpType.PAD, OpType.MAX_POOL_2D), ops(f));
            } else {
                assertEquals(1, f.getOperatorsCount(), next + ": " + ops(f));
            }
        }
        // a non-zero constant pad stays a PAD op (opset 2 style: pads and value as attributes)
        OnnxBuilder b = new OnnxBuilder(2);
        String x = b.input("x", 1, 1, 3, 3);
        b.output(b.node("Pad", new String[] {x}, ints("pads", 0, 0, 1, 1, 0, 0, 1, 1), f("value", 2.5f)));
        ModelFile f = convertAndCompare(b.build(), 1, 1, 3, 3);
        assertEquals(List.of(OpType.PAD), ops(f));
        assertEquals(2.5f, f.getOperators(0).getPad().getValue());
    }

    @Test
    void dropoutAndIdentityDisappearAndTheOutputKeepsItsName() throws Exception {
        OnnxBuilder b = new OnnxBuilder(12);
        Random rng = new Random(5);
        String x = b.input("x", 1, 6);
        String y = b.node("Gemm", new String[] {x, b.random("w", rng, 1f, 6, 5)});
        y = b.node("Dropout", new String[] {y, b.init("ratio", new float[] {0.5f})});
        y = b.node("Identity", y);
        b.output(y);
        ModelFile f = convertAndCompare(b.build(), 1, 6);
        assertEquals(List.of(OpType.FULLY_CONNECTED), ops(f));
        assertEquals(y, f.getTensors(f.getOutputs(0)).getName());
    }

    @Test
    void identityOnAWeightAliasesTheConstant() throws Exception {
        OnnxBuilder b = new OnnxBuilder();
        Random rng = new Random(8);
        String x = b.input("x", 1, 2, 5, 5);
        String w = b.node("Identity", b.random("w", rng, 0.5f, 3, 2, 3, 3));
        b.output(b.node("Conv", new String[] {x, w}, ints("kernel_shape", 3, 3)));
        assertEquals(List.of(OpType.CONV_2D), ops(convertAndCompare(b.build(), 1, 2, 5, 5)));
    }

    @Test
    void matMulPlusAddIsOneDenseLayerWithBias() throws Exception {
        OnnxBuilder b = new OnnxBuilder();
        Random rng = new Random(6);
        String x = b.input("x", 1, 8);
        String y = b.node("MatMul", new String[] {x, b.random("w", rng, 1f, 8, 4)});
        y = b.node("Add", new String[] {b.random("bias", rng, 1f, 4), y});
        y = b.node("Relu", y);
        b.output(b.node("Softmax", y));
        ModelFile f = convertAndCompare(b.build(), 1, 8);
        assertEquals(List.of(OpType.FULLY_CONNECTED, OpType.SOFTMAX), ops(f));
        assertTrue(f.getOperators(0).getInputs(2) >= 0);
    }

    @Test
    void typedInitializersConstantNodesAndOpset11Softmax() throws Exception {
        OnnxBuilder b = new OnnxBuilder(11);
        Random rng = new Random(7);
        String x = b.input("x", -1, 2, 4, 4); // symbolic batch runs as 1
        float[] w = OnnxBuilder.randomData(rng, 3 * 2 * 2 * 2);
        b.initTyped("w", w, 3, 2, 2, 2);
        String y = b.node("Conv", new String[] {x, "w"}, ints("kernel_shape", 2, 2), s("auto_pad", "SAME_LOWER"));
        String shape = b.node("Constant", new String[0], dev.edgeq.converter.testing.OnnxBuilder.t("value",
                dev.edgeq.onnx.TensorProto.newBuilder().setDataType(dev.edgeq.onnx.TensorProto.DataType.INT64_VALUE)
                        .addDims(2).addInt64Data(1).addInt64Data(-1).build()));
        y = b.node("Reshape", new String[] {y, shape});
        y = b.node("Gemm", new String[] {y, b.random("fw", rng, 0.3f, 48, 5)});
        b.output(b.node("Softmax", y)); // opset 11 default axis 1 on [1,N]
        ModelFile f = convertAndCompare(b.build(), 1, 2, 4, 4);
        assertEquals(List.of(OpType.CONV_2D, OpType.RESHAPE, OpType.FULLY_CONNECTED, OpType.SOFTMAX), ops(f));
    }
}
