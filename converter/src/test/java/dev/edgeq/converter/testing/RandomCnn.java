package dev.edgeq.converter.testing;

import static dev.edgeq.converter.testing.OnnxBuilder.f;
import static dev.edgeq.converter.testing.OnnxBuilder.i;
import static dev.edgeq.converter.testing.OnnxBuilder.ints;
import static dev.edgeq.converter.testing.OnnxBuilder.s;

import dev.edgeq.onnx.AttributeProto;
import dev.edgeq.onnx.ModelProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A random CNN of the supported ops, from a seed: convs (strides, dilations, asymmetric and
 * auto pads, depthwise with multipliers), BatchNorm, activations, pools (ceil_mode,
 * count_include_pad), Pad, LRN, per-channel Mul/Add, residual Add, then optionally a head of
 * Flatten/Reshape + Gemm/MatMul+Add (+ Softmax). The description lists every choice, so a
 * failing seed says what it built.
 */
public final class RandomCnn {
    public final ModelProto model;
    public final int[] inputShape;
    public final String description;

    private final Random rng;
    private final OnnxBuilder b = new OnnxBuilder(13);
    private final List<String> log = new ArrayList<>();
    private String x;
    private int c, h, w;

    private RandomCnn(long seed) {
        rng = new Random(seed);
        c = 1 + rng.nextInt(4);
        h = 5 + rng.nextInt(12);
        w = 5 + rng.nextInt(12);
        inputShape = new int[] {1, c, h, w};
        x = b.input("input", rng.nextInt(4) == 0 ? -1 : 1, c, h, w);
        log.add("input " + c + "x" + h + "x" + w);
        int layers = 1 + rng.nextInt(5);
        for (int k = 0; k < layers; k++) {
            layer();
        }
        if (rng.nextInt(4) != 0) {
            head();
        }
        b.output(x);
        model = b.build();
        description = "seed " + seed + ": " + String.join(" -> ", log);
    }

    public static RandomCnn of(long seed) {
        return new RandomCnn(seed);
    }

    private void layer() {
        int kind = rng.nextInt(12);
        switch (kind) {
            case 0, 1, 2, 3 -> conv();
            case 4 -> depthwise();
            case 5, 6 -> pool();
            case 7 -> residual();
            case 8 -> padThenConv();
            case 9 -> lrn();
            case 10 -> batchNorm();
            default -> perChannel();
        }
        if (rng.nextInt(2) == 0) {
            activation();
        }
    }

    private void conv() {
        int o = 1 + rng.nextInt(8);
        int kh = 1 + rng.nextInt(Math.min(5, h));
        int kw = 1 + rng.nextInt(Math.min(5, w));
        int sh = 1 + rng.nextInt(3), sw = 1 + rng.nextInt(3);
        int dh = kh > 1 && rng.nextInt(4) == 0 ? 2 : 1;
        int dw = kw > 1 && rng.nextInt(4) == 0 ? 2 : 1;
        convWith(o, 1, kh, kw, sh, sw, dh, dw, "conv");
    }

    private void depthwise() {
        int m = 1 + rng.nextInt(2);
        int k = 1 + rng.nextInt(Math.min(3, Math.min(h, w)));
        int s = 1 + rng.nextInt(2);
        convWith(c * m, c, k, k, s, s, 1, 1, "dwconv");
    }

    /** Conv with group g (1 or c); pads chosen so the output is at least 1x1. */
    private void convWith(int o, int group, int kh, int kw, int sh, int sw, int dh, int dw, String what) {
        int ekh = (kh - 1) * dh + 1, ekw = (kw - 1) * dw + 1;
        List<AttributeProto> attrs = new ArrayList<>();
        attrs.add(ints("kernel_shape", kh, kw));
        attrs.add(ints("strides", sh, sw));
        attrs.add(ints("dilations", dh, dw));
        if (group > 1) {
            attrs.add(i("group", group));
        }
        int oh, ow;
        String padDesc;
        int mode = rng.nextInt(5);
        if ((mode == 0 || mode == 1) && dh == 1 && dw == 1) { // ONNX Runtime refuses dilation with SAME
            String ap = mode == 0 ? "SAME_UPPER" : "SAME_LOWER";
            attrs.add(s("auto_pad", ap));
            oh = (h + sh - 1) / sh;
            ow = (w + sw - 1) / sw;
            padDesc = ap;
        } else {
            int[] p = new int[4];
            for (int k = 0; k < 4; k++) {
                p[k] = rng.nextInt(3);
            }
            if (h + p[0] + p[2] < ekh) {
                p[2] += ekh - (h + p[0] + p[2]);
            }
            if (w + p[1] + p[3] < ekw) {
                p[3] += ekw - (w + p[1] + p[3]);
            }
            attrs.add(ints("pads", p));
            oh = (h + p[0] + p[2] - ekh) / sh + 1;
            ow = (w + p[1] + p[3] - ekw) / sw + 1;
            padDesc = "pads " + p[0] + "," + p[1] + "," + p[2] + "," + p[3];
        }
        float scale = (float) (1.5 / Math.sqrt((double) (c / group) * kh * kw));
        String wt = b.random(b.fresh("w"), rng, scale, o, c / group, kh, kw);
        boolean bias = rng.nextBoolean();
        String[] in = bias ? new String[] {x, wt, b.random(b.fresh("b"), rng, 0.5f, o)} : new String[] {x, wt};
        x = b.node("Conv", in, attrs.toArray(new AttributeProto[0]));
        log.add(what + " " + o + " " + kh + "x" + kw + "/" + sh + "," + sw + " d" + dh + "," + dw + " " + padDesc
                + (group > 1 ? " group " + group : "") + (bias ? " bias" : ""));
        c = o;
        h = oh;
        w = ow;
        if (rng.nextInt(3) == 0) {
            batchNorm();
        }
    }

    private void pool() {
        boolean max = rng.nextBoolean();
        int kh = 1 + rng.nextInt(Math.min(3, h)), kw = 1 + rng.nextInt(Math.min(3, w));
        int sh = 1 + rng.nextInt(3), sw = 1 + rng.nextInt(3);
        int[] p = {rng.nextInt(kh), rng.nextInt(kw), rng.nextInt(kh), rng.nextInt(kw)};
        boolean ceil = rng.nextBoolean();
        // ONNX shape inference (run by ONNX Runtime at load) keeps a last window that starts in
        // the end padding while its kernel drops it; avoid those cases so the model loads.
        if (ceil && (dropsLast(h, p[0], p[2], kh, sh) || dropsLast(w, p[1], p[3], kw, sw))) {
            ceil = false;
        }
        boolean cip = !max && rng.nextBoolean();
        // ONNX Runtime (AveragePool before opset 19) divides a ceil_mode window that reaches past
        // the end padding by the full kernel (onnxruntime issue #16203); ONNX and PyTorch clip the
        // divisor at the padding, as edgeq does (checked against PyTorch's values in PoolSemanticsTest).
        if (cip && ceil && (overhangs(h, p[0], p[2], kh, sh) || overhangs(w, p[1], p[3], kw, sw))) {
            cip = false;
        }
        List<AttributeProto> attrs = new ArrayList<>(List.of(ints("kernel_shape", kh, kw), ints("strides", sh, sw),
                ints("pads", p), i("ceil_mode", ceil ? 1 : 0)));
        if (cip) {
            attrs.add(i("count_include_pad", 1));
        }
        x = b.node(max ? "MaxPool" : "AveragePool", new String[] {x}, attrs.toArray(new AttributeProto[0]));
        log.add((max ? "maxpool " : "avgpool ") + kh + "x" + kw + "/" + sh + "," + sw + " pads " + p[0] + "," + p[1]
                + "," + p[2] + "," + p[3] + (ceil ? " ceil" : "") + (cip ? " count_include_pad" : ""));
        h = poolOut(h, p[0], p[2], kh, sh, ceil);
        w = poolOut(w, p[1], p[3], kw, sw, ceil);
    }

    private static boolean overhangs(int in, int pb, int pe, int k, int s) {
        return (poolOut(in, pb, pe, k, s, true) - 1) * s + k > in + pb + pe;
    }

    private static boolean dropsLast(int in, int pb, int pe, int k, int s) {
        int out = (in + pb + pe - k + s - 1) / s + 1;
        return (out - 1) * s >= in + pb;
    }

    private static int poolOut(int in, int pb, int pe, int k, int s, boolean ceil) {
        int span = in + pb + pe - k;
        if (!ceil) {
            return span / s + 1;
        }
        int out = (span + s - 1) / s + 1;
        if ((out - 1) * s >= in + pb) {
            out--;
        }
        return out;
    }

    private void residual() {
        String skip = x;
        int k = rng.nextBoolean() ? 3 : 1;
        int p = k / 2;
        String wt = b.random(b.fresh("w"), rng, (float) (1.0 / Math.sqrt(c * k * k)), c, c, k, k);
        String y = b.node("Conv", new String[] {x, wt}, ints("kernel_shape", k, k), ints("pads", p, p, p, p));
        if (rng.nextBoolean()) {
            y = b.node("Relu", y);
        }
        x = rng.nextBoolean() ? b.node("Add", new String[] {skip, y}) : b.node("Add", new String[] {y, skip});
        log.add("residual conv " + k + "x" + k + " + add");
    }

    private void padThenConv() {
        int[] p = {rng.nextInt(3), rng.nextInt(3), rng.nextInt(3), rng.nextInt(3)};
        boolean zero = rng.nextBoolean();
        float value = zero ? 0f : rng.nextFloat() * 2 - 1;
        String pads = b.initLongs(b.fresh("pads"), new long[] {0, 0, p[0], p[1], 0, 0, p[2], p[3]}, 8);
        String v = b.init(b.fresh("padv"), new float[] {value});
        x = b.node("Pad", new String[] {x, pads, v}, s("mode", "constant"));
        log.add("pad " + p[0] + "," + p[1] + "," + p[2] + "," + p[3] + " value " + value);
        h += p[0] + p[2];
        w += p[1] + p[3];
        if (rng.nextBoolean()) {
            conv();
        } else {
            pool();
        }
    }

    private void lrn() {
        int size = 1 + 2 * rng.nextInt(3);
        float alpha = 1e-4f + rng.nextFloat() * 0.5f, beta = 0.5f + rng.nextFloat() * 0.5f, bias = 1f + rng.nextFloat();
        x = b.node("LRN", new String[] {x}, i("size", size), f("alpha", alpha), f("beta", beta), f("bias", bias));
        log.add("lrn " + size);
    }

    private void batchNorm() {
        String sc = b.random(b.fresh("bn_s"), rng, 1f, c);
        String bi = b.random(b.fresh("bn_b"), rng, 1f, c);
        String mean = b.random(b.fresh("bn_m"), rng, 1f, c);
        float[] var = new float[c];
        for (int k = 0; k < c; k++) {
            var[k] = 0.2f + rng.nextFloat();
        }
        String va = b.init(b.fresh("bn_v"), var, c);
        x = b.node("BatchNormalization", new String[] {x, sc, bi, mean, va}, f("epsilon", 1e-3f));
        log.add("batchnorm");
    }

    private void perChannel() {
        boolean mul = rng.nextBoolean();
        String k = b.random(b.fresh("k"), rng, 1f, c, 1, 1);
        x = b.node(mul ? "Mul" : "Add", rng.nextBoolean() ? new String[] {x, k} : new String[] {k, x});
        log.add(mul ? "mul per channel" : "add per channel");
    }

    private void activation() {
        switch (rng.nextInt(6)) {
            case 0, 1 -> {
                x = b.node("Relu", x);
                log.add("relu");
            }
            case 2 -> {
                x = b.node("Clip", new String[] {x, b.init(b.fresh("lo"), new float[] {0f}), b.init(b.fresh("hi"), new float[] {6f})});
                log.add("clip 0..6");
            }
            case 3 -> {
                float lo = -rng.nextFloat(), hi = rng.nextFloat();
                x = b.node("Clip", new String[] {x, b.init(b.fresh("lo"), new float[] {lo}), b.init(b.fresh("hi"), new float[] {hi})});
                log.add("clip " + lo + ".." + hi);
            }
            case 4 -> {
                x = b.node("LeakyRelu", new String[] {x}, f("alpha", 0.1f));
                log.add("leakyrelu");
            }
            default -> {
                x = b.node("Sigmoid", x);
                log.add("sigmoid");
            }
        }
    }

    private void head() {
        if (rng.nextBoolean()) {
            x = b.node(rng.nextBoolean() ? "GlobalAveragePool" : "GlobalMaxPool", x);
            log.add("global pool");
            h = w = 1;
        }
        int n = c * h * w;
        if (rng.nextBoolean()) {
            x = b.node("Flatten", new String[] {x}, i("axis", 1));
            log.add("flatten");
        } else {
            String shape = b.initLongs(b.fresh("shape"), rng.nextBoolean() ? new long[] {1, -1} : new long[] {0, -1}, 2);
            x = b.node("Reshape", new String[] {x, shape});
            log.add("reshape");
        }
        int dense = 1 + rng.nextInt(2);
        for (int k = 0; k < dense; k++) {
            int out = 1 + rng.nextInt(10);
            float scale = (float) (1.5 / Math.sqrt(n));
            if (rng.nextBoolean()) {
                boolean transB = rng.nextBoolean();
                float alpha = rng.nextBoolean() ? 1f : 0.5f + rng.nextFloat();
                float beta = rng.nextBoolean() ? 1f : 0.5f + rng.nextFloat();
                String wt = transB ? b.random(b.fresh("fc_w"), rng, scale, out, n) : b.random(b.fresh("fc_w"), rng, scale, n, out);
                boolean bias = rng.nextBoolean();
                String[] in = bias ? new String[] {x, wt, b.random(b.fresh("fc_b"), rng, 0.5f, out)} : new String[] {x, wt};
                x = b.node("Gemm", in, i("transB", transB ? 1 : 0), f("alpha", alpha), f("beta", beta));
                log.add("gemm " + out + (transB ? " transB" : "") + " alpha " + alpha + " beta " + beta + (bias ? " bias" : ""));
            } else {
                x = b.node("MatMul", new String[] {x, b.random(b.fresh("mm_w"), rng, scale, n, out)});
                x = b.node("Add", new String[] {x, b.random(b.fresh("mm_b"), rng, 0.5f, out)});
                log.add("matmul " + out + " + add");
            }
            n = out;
            if (k + 1 < dense) {
                x = b.node("Relu", x);
                log.add("relu");
            }
        }
        if (rng.nextBoolean()) {
            x = b.node("Softmax", x);
            log.add("softmax");
        }
    }
}
