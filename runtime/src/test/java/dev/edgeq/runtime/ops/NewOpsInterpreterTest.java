package dev.edgeq.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.format.HardSigmoidOptions;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.format.PermuteChannelsOptions;
import dev.edgeq.format.Quantization;
import dev.edgeq.format.SliceOptions;
import dev.edgeq.format.SplitOptions;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.testing.Allocations;
import dev.edgeq.runtime.testing.ModelBuilder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The operators of format 1.1 through the Interpreter, in one graph that uses each of them:
 * grouped conv, Mean (keepdims 1 and 0), Sigmoid, Mul / Sub / Add with a computed per-channel gate,
 * Split, Concatenation, channel permutation, HardSwish, PRelu, Tanh, SiLU, HardSigmoid, Slice.
 * Float against the same graph computed here in plain double loops; int8 (scales calibrated from
 * the float run) with the reference and the fast kernels bit-exact, and close to float.
 */
class NewOpsInterpreterTest {
    private static final int H = 2, W = 3, C = 4, PIXELS = H * W;
    private static final float[] CONV_W = {0.5f, -1f, 1.5f, 0.25f, -0.75f, 1f, 0.5f, 0.5f}; // [4][1][1][2], 2 groups
    private static final float[] CONV_B = {0.1f, -0.2f, 0.3f, 0f};
    private static final float[] SLOPE = {0.25f, -0.5f, 0.1f, 0.75f};
    private static final int[] PERM = {0, 2, 1, 3};
    /** Tensor names in creation order; the int8 model gets one (min, max) per activation. */
    private static final String[] ACTIVATIONS = {"x", "c", "g", "s", "m", "d", "a", "b", "k", "p", "h", "r", "t", "u", "v", "z", "o", "y"};

    /** The graph; {@code ranges == null} builds it in float, else in int8 with those (min, max) per activation. */
    private static ModelFile graph(float[][] ranges) {
        ModelBuilder b = new ModelBuilder();
        int[] t = new int[ACTIVATIONS.length];
        int[][] shapes = {
            {1, H, W, C}, {1, H, W, C}, {1, 1, 1, C}, {1, 1, 1, C}, {1, H, W, C}, {1, H, W, C}, {1, H, W, 1}, {1, H, W, 3},
            {1, H, W, C}, {1, H, W, C}, {1, H, W, C}, {1, H, W, C}, {1, H, W, C}, {1, H, W, C}, {1, H, W, C}, {1, H, W, 2},
            {1, 2}, {1, H, W, 2}};
        for (int i = 0; i < t.length; i++) {
            if (ranges == null) {
                t[i] = b.floatActivation(ACTIVATIONS[i], shapes[i]);
            } else {
                float lo = Math.min(0f, ranges[i][0]);
                float hi = Math.max(0f, ranges[i][1]);
                float scale = (hi - lo) / 255f;
                int zp = (int) Math.round(-128 - lo / scale);
                if (ACTIVATIONS[i].equals("s")) { // TFLite's Logistic output quantization
                    scale = 1f / 256;
                    zp = -128;
                }
                t[i] = b.int8Activation(ACTIVATIONS[i], scale, Math.max(-128, Math.min(127, zp)), shapes[i]);
            }
        }
        int w;
        int bias;
        int slope;
        if (ranges == null) {
            w = b.floatConstant("w", CONV_W, 4, 1, 1, 2);
            bias = b.floatConstant("bias", CONV_B, 4);
            slope = b.floatConstant("slope", SLOPE, 4);
        } else {
            float ws = 1.5f / 127;
            byte[] wq = new byte[CONV_W.length];
            for (int i = 0; i < wq.length; i++) {
                wq[i] = (byte) Math.round(CONV_W[i] / ws);
            }
            w = b.int8Constant("w", wq, Quantization.newBuilder().addScale(ws).addZeroPoint(0).build(), 4, 1, 1, 2);
            float xs = scaleOf(ranges[0]);
            int[] bq = new int[4];
            for (int i = 0; i < 4; i++) {
                bq[i] = Math.round(CONV_B[i] / (xs * ws));
            }
            bias = b.int32Constant("bias", bq, 4);
            float ss = 0.75f / 127;
            byte[] sq = new byte[4];
            for (int i = 0; i < 4; i++) {
                sq[i] = (byte) Math.round(SLOPE[i] / ss);
            }
            slope = b.int8Constant("slope", sq, Quantization.newBuilder().addScale(ss).addZeroPoint(0).build(), 4);
        }
        int x = t[0], c = t[1], g = t[2], s = t[3], m = t[4], d = t[5], a = t[6], bb = t[7], k = t[8], p = t[9];
        int h = t[10], r = t[11], th = t[12], u = t[13], v = t[14], z = t[15], o = t[16], y = t[17];
        b.op(ModelBuilder.op("conv", OpType.CONV_2D, c, x, w, bias).setConv(ModelBuilder.conv(1, 0).setGroups(2)).build());
        b.op(ModelBuilder.op("mean", OpType.MEAN, g, c).build());
        b.op(ModelBuilder.op("sigmoid", OpType.SIGMOID, s, g).build());
        b.op(ModelBuilder.op("gate", OpType.MUL, m, c, s).build());
        b.op(ModelBuilder.op("sub", OpType.SUB, d, m, g).build());
        b.op(ModelBuilder.op("split", OpType.SPLIT, a, d).addOutputs(bb)
                .setSplit(SplitOptions.newBuilder().addSizes(1).addSizes(3)).build());
        b.op(ModelBuilder.op("concat", OpType.CONCATENATION, k, bb, a).build());
        b.op(ModelBuilder.op("shuffle", OpType.PERMUTE_CHANNELS, p, k)
                .setPermuteChannels(PermuteChannelsOptions.newBuilder().addPermutation(0).addPermutation(2)
                        .addPermutation(1).addPermutation(3)).build());
        b.op(ModelBuilder.op("hswish", OpType.HARD_SWISH, h, p).build());
        b.op(ModelBuilder.op("prelu", OpType.PRELU, r, h, slope).build());
        b.op(ModelBuilder.op("tanh", OpType.TANH, th, r).build());
        b.op(ModelBuilder.op("silu", OpType.SILU, u, th).build());
        b.op(ModelBuilder.op("hsigmoid", OpType.HARD_SIGMOID, v, u)
                .setHardSigmoid(HardSigmoidOptions.newBuilder().setAlpha(0.2f).setBeta(0.5f)).build());
        b.op(ModelBuilder.op("slice", OpType.SLICE, z, v).setSlice(SliceOptions.newBuilder().setBegin(1).setSize(2)).build());
        b.op(ModelBuilder.op("mean2", OpType.MEAN, o, z).build());
        b.op(ModelBuilder.op("add", OpType.ADD, y, z, o).build());
        return b.io(x, y).build();
    }

    private static float scaleOf(float[] range) {
        return (Math.max(0f, range[1]) - Math.min(0f, range[0])) / 255f;
    }

    /** The graph in double precision, written out independently of the kernels. */
    private static double[] expected(float[] x) {
        double[] c = new double[PIXELS * C];
        for (int px = 0; px < PIXELS; px++) {
            for (int oc = 0; oc < C; oc++) {
                int group = oc / 2;
                double acc = CONV_B[oc];
                for (int i = 0; i < 2; i++) {
                    acc += CONV_W[oc * 2 + i] * x[px * C + group * 2 + i];
                }
                c[px * C + oc] = acc;
            }
        }
        double[] g = mean(c, C);
        double[] d = new double[PIXELS * C];
        for (int i = 0; i < d.length; i++) {
            double s = 1 / (1 + Math.exp(-g[i % C]));
            d[i] = c[i] * s - g[i % C];
        }
        double[] v = new double[PIXELS * C];
        for (int px = 0; px < PIXELS; px++) {
            double[] k = {d[px * C + 1], d[px * C + 2], d[px * C + 3], d[px * C]}; // split [1,3], concat (b, a)
            for (int ch = 0; ch < C; ch++) {
                double e = k[PERM[ch]];
                double hs = e * Math.max(0, Math.min(1, e / 6 + 0.5));
                double pr = hs >= 0 ? hs : SLOPE[ch] * hs;
                double th = Math.tanh(pr);
                double si = th / (1 + Math.exp(-th));
                v[px * C + ch] = Math.max(0, Math.min(1, 0.2 * si + 0.5));
            }
        }
        double[] z = new double[PIXELS * 2];
        for (int px = 0; px < PIXELS; px++) {
            z[px * 2] = v[px * C + 1];
            z[px * 2 + 1] = v[px * C + 2];
        }
        double[] o = mean(z, 2);
        double[] y = new double[z.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = z[i] + o[i % 2];
        }
        return y;
    }

    private static double[] mean(double[] t, int channels) {
        double[] m = new double[channels];
        for (int i = 0; i < t.length; i++) {
            m[i % channels] += t[i] / (t.length / channels);
        }
        return m;
    }

    private static float[] input() {
        float[] x = new float[PIXELS * C];
        Random r = new Random(10);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 2);
        }
        return x;
    }

    @Test
    void floatGraphMatchesThePlainComputation() throws Exception {
        float[] x = input();
        try (Interpreter it = Interpreter.create(Model.fromProto(graph(null)))) {
            it.setInput(x);
            it.run();
            float[] out = new float[it.outputSize()];
            it.outputFloat(out);
            double[] expected = expected(x);
            for (int i = 0; i < out.length; i++) {
                assertEquals(expected[i], out[i], 1e-5, "element " + i);
            }
            assertEquals(PIXELS * 4 * 2, it.macs(0), "grouped conv MACs count each group's inputs only");
        }
    }

    @Test
    void int8GraphIsBitExactAcrossKernelFamiliesAndCloseToFloat() throws Exception {
        float[] x = input();
        float[][] ranges = calibrate(x);
        float[] floatOut = new float[PIXELS * 2];
        try (Interpreter it = Interpreter.create(Model.fromProto(graph(null)))) {
            it.setInput(x);
            it.run();
            it.outputFloat(floatOut);
        }
        Model int8 = Model.fromProto(graph(ranges));
        float xs = scaleOf(ranges[0]);
        int xzp = int8.tensor(0).zeroPoint();
        byte[] q = new byte[x.length];
        for (int i = 0; i < x.length; i++) {
            q[i] = (byte) Math.max(-128, Math.min(127, Math.round(x[i] / xs) + xzp));
        }
        byte[] reference = runInt8(int8, q, Int8Kernels.Implementation.REFERENCE);
        byte[] scalar = runInt8(int8, q, Int8Kernels.Implementation.SCALAR);
        byte[] auto = runInt8(int8, q, Int8Kernels.Implementation.AUTO);
        assertArrayEquals(reference, scalar);
        assertArrayEquals(reference, auto);
        float ys = int8.tensor(ACTIVATIONS.length - 1).scale();
        int yzp = int8.tensor(ACTIVATIONS.length - 1).zeroPoint();
        for (int i = 0; i < reference.length; i++) {
            float deq = ys * (reference[i] - yzp);
            // 16 quantized layers in a row: a few output steps of accumulated rounding
            assertTrue(Math.abs(deq - floatOut[i]) <= 6 * ys, "element " + i + ": int8 " + deq + " float " + floatOut[i]);
        }
    }

    /** (min, max) of every activation of the float graph on {@code x}, as the int8 graph takes them. */
    private static float[][] calibrate(float[] x) throws ModelFormatException {
        Model floatModel = Model.fromProto(graph(null));
        float[][] ranges = new float[ACTIVATIONS.length][];
        try (Interpreter it = Interpreter.create(floatModel, Interpreter.Options.builder().preserveAllTensors(true).build())) {
            it.setInput(x);
            it.run();
            for (int i = 0; i < ACTIVATIONS.length; i++) {
                float[] v = new float[floatModel.tensor(i).elementCount()];
                it.readTensor(i, v);
                float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
                for (float f : v) {
                    lo = Math.min(lo, f);
                    hi = Math.max(hi, f);
                }
                ranges[i] = new float[] {lo, hi};
            }
        }
        // Split, Concatenation (of inputs quantized alike), the permutation and Slice keep their input's quantization.
        for (String keeps : new String[] {"a", "b", "k", "p"}) {
            ranges[indexOf(keeps)] = ranges[indexOf("d")];
        }
        ranges[indexOf("z")] = ranges[indexOf("v")];
        return ranges;
    }

    private static int indexOf(String name) {
        return java.util.Arrays.asList(ACTIVATIONS).indexOf(name);
    }

    private static byte[] runInt8(Model model, byte[] input, Int8Kernels.Implementation kernels) throws ModelFormatException {
        try (Interpreter it = Interpreter.create(model, Interpreter.Options.builder().kernels(kernels).build())) {
            it.setInputInt8(input, 0);
            it.run();
            byte[] out = new byte[it.outputSize()];
            it.outputInt8(out);
            return out;
        }
    }

    @Test
    void badOperatorsAreNamedAtCreation() {
        // grouped conv whose weights do not match the groups
        ModelBuilder b = new ModelBuilder();
        int x = b.floatActivation("x", 1, 2, 2, 6);
        int w = b.floatConstant("w", new float[12], 4, 1, 1, 3);
        int y = b.floatActivation("y", 1, 2, 2, 4);
        b.op(ModelBuilder.op("gconv", OpType.CONV_2D, y, x, w).setConv(ModelBuilder.conv(1, 0).setGroups(4)).build());
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> Interpreter.create(Model.fromProto(b.io(x, y).build())));
        assertTrue(e.getMessage().contains("'gconv'") && e.getMessage().contains("4 group(s) expect 12 input channels"),
                e.getMessage());

        // split sizes that do not cover the channels
        ModelBuilder s = new ModelBuilder();
        int sx = s.floatActivation("x", 1, 1, 1, 4);
        int s1 = s.floatActivation("s1", 1, 1, 1, 1);
        int s2 = s.floatActivation("s2", 1, 1, 1, 2);
        s.op(ModelBuilder.op("split", OpType.SPLIT, s1, sx).addOutputs(s2)
                .setSplit(SplitOptions.newBuilder().addSizes(1).addSizes(2)).build());
        e = assertThrows(ModelFormatException.class, () -> Interpreter.create(Model.fromProto(s.io(sx, s2).build())));
        assertTrue(e.getMessage().contains("split sizes cover 3 of the 4 channels"), e.getMessage());

        // a permutation with a repeated channel
        ModelBuilder p = new ModelBuilder();
        int px = p.floatActivation("x", 1, 1, 1, 3);
        int py = p.floatActivation("y", 1, 1, 1, 3);
        p.op(ModelBuilder.op("perm", OpType.PERMUTE_CHANNELS, py, px).setPermuteChannels(PermuteChannelsOptions.newBuilder()
                .addPermutation(0).addPermutation(1).addPermutation(1)).build());
        e = assertThrows(ModelFormatException.class, () -> Interpreter.create(Model.fromProto(p.io(px, py).build())));
        assertTrue(e.getMessage().contains("'perm'") && e.getMessage().contains("not a permutation"), e.getMessage());

        // a gate whose channel count differs
        ModelBuilder m = new ModelBuilder();
        int mx = m.floatActivation("x", 1, 2, 2, 4);
        int mg = m.floatActivation("g", 1, 1, 1, 4);
        int my = m.floatActivation("y", 1, 2, 2, 4);
        int mb = m.floatActivation("bad", 1, 1, 1, 3);
        m.op(ModelBuilder.op("mean", OpType.MEAN, mg, mx).build());
        m.op(ModelBuilder.op("slice", OpType.SLICE, mb, mg).setSlice(SliceOptions.newBuilder().setBegin(0).setSize(3)).build());
        m.op(ModelBuilder.op("mul", OpType.MUL, my, mx, mb).build());
        e = assertThrows(ModelFormatException.class, () -> Interpreter.create(Model.fromProto(m.io(mx, my).build())));
        assertTrue(e.getMessage().contains("'mul'") && e.getMessage().contains("broadcast over the channels"), e.getMessage());
    }

    @Test
    void runsAllocateNothing() throws Exception {
        float[] x = input();
        for (ModelFile file : new ModelFile[] {graph(null), graph(calibrate(x))}) {
            try (Interpreter it = Interpreter.create(Model.fromProto(file))) {
                byte[] q = new byte[x.length];
                Runnable run = file.getTensors(0).getType() == dev.edgeq.format.DataType.INT8
                        ? () -> {
                            it.setInputInt8(q, 0);
                            it.run();
                        }
                        : () -> {
                            it.setInput(x);
                            it.run();
                        };
                for (int i = 0; i < 20000; i++) { // warm up: JIT compilation allocates, runs must not
                    run.run();
                }
                Allocations.assertAllocatesNothing(5, () -> {
                    for (int i = 0; i < 1000; i++) {
                        run.run();
                    }
                }, "bytes allocated over 1000 runs (best of 5 rounds)");
            }
        }
    }
}
