package dev.edgeq.converter.onnx;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.format.ClipOptions;
import dev.edgeq.format.ConvOptions;
import dev.edgeq.format.FullyConnectedOptions;
import dev.edgeq.format.LeakyReluOptions;
import dev.edgeq.format.LrnOptions;
import dev.edgeq.format.OpType;
import dev.edgeq.format.PadOptions;
import dev.edgeq.format.Padding;
import dev.edgeq.format.PoolOptions;
import dev.edgeq.format.SoftmaxOptions;
import dev.edgeq.onnx.AttributeProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lowers one ONNX node into edgeq IR ops in NHWC layout: weights become OHWI / 1HWO / [out][in],
 * pads and auto_pad become explicit Padding (pools keep ceil_mode as a flag),
 * BatchNormalization becomes MUL + ADD (folded into a conv by a pass), Dropout/Identity/Flatten
 * become RESHAPE (the no-op ones are removed by a pass).
 */
final class OpLowering {
    private OpLowering() {
    }

    static void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        switch (n.opType()) {
            case "Conv" -> conv(ctx, n);
            case "MaxPool", "AveragePool" -> pool(ctx, n);
            case "GlobalAveragePool", "GlobalMaxPool" -> globalPool(ctx, n);
            case "Gemm" -> gemm(ctx, n);
            case "MatMul" -> matMul(ctx, n);
            case "Add", "Mul" -> addOrMul(ctx, n);
            case "BatchNormalization" -> batchNorm(ctx, n);
            case "Relu" -> unary(ctx, n, OpType.RELU, null);
            case "Sigmoid" -> unary(ctx, n, OpType.SIGMOID, null);
            case "LeakyRelu" -> unary(ctx, n, OpType.LEAKY_RELU,
                    LeakyReluOptions.newBuilder().setAlpha(n.f("alpha", 0.01f)).build());
            case "Clip" -> clip(ctx, n);
            case "Softmax" -> softmax(ctx, n);
            case "LRN" -> lrn(ctx, n);
            case "Pad" -> pad(ctx, n);
            case "Flatten" -> flatten(ctx, n);
            case "Reshape" -> reshape(ctx, n);
            case "Dropout" -> dropout(ctx, n);
            case "Identity" -> {
                if (ctx.isConstant(n.input(0))) {
                    // exporters alias shared weights through Identity: the output is the same constant
                    ctx.defineConstant(n.output(0), ctx.constant(n, 0, "input").renamed(n.output(0)));
                } else {
                    identity(ctx, n, ctx.activation(n, 0));
                }
            }
            case "Constant" -> constantNode(ctx, n);
            case "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast" -> ShapeFolding.fold(ctx, n);
            default -> throw new Unsupported("op type not supported");
        }
    }

    /**
     * Problems visible from a node's attributes alone, for nodes whose inputs come from an
     * unsupported node (their shapes are unknown, but these are still worth reporting).
     */
    static String attributeProblem(OnnxImporter ctx, OnnxNode n) throws ConversionException {
        String autoPad = n.s("auto_pad", "NOTSET");
        if (!List.of("NOTSET", "", "VALID", "SAME_UPPER", "SAME_LOWER").contains(autoPad)) {
            return "auto_pad=" + autoPad;
        }
        switch (n.opType()) {
            case "MaxPool", "AveragePool" -> {
                int[] d = n.ints("dilations");
                if (d != null && Arrays.stream(d).anyMatch(v -> v != 1)) {
                    return "dilations=" + Shapes.str(d) + " (dilated pooling is not supported)";
                }
                if (n.opType().equals("MaxPool") && !n.output(1).isEmpty()) {
                    return "has an Indices output (not supported)";
                }
            }
            case "Gemm" -> {
                if (n.i("transA", 0) != 0) {
                    return "transA=1 (only transA=0)";
                }
            }
            case "BatchNormalization" -> {
                if (n.i("training_mode", 0) != 0) {
                    return "training_mode=1 (only inference)";
                }
            }
            case "Pad" -> {
                if (!n.s("mode", "constant").equals("constant")) {
                    return "mode=" + n.s("mode", "constant") + " (only constant)";
                }
            }
            case "Dropout" -> {
                if (!n.output(1).isEmpty()) {
                    return "has a mask output (not supported)";
                }
            }
            default -> {
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- conv

    private static void conv(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        Value x = spatial(ctx, n);
        OnnxConstant w = ctx.constant(n, 1, "weights W");
        OnnxConstant b = ctx.constantOrNull(n, 2, "bias B");
        int[] xs = x.onnxShape();
        int c = xs[1], h = xs[2], wd = xs[3];
        if (w.rank() != 4) {
            throw new Unsupported("weights of rank " + w.rank() + " " + Shapes.str(w.dims()) + " (only 2-D convolutions)");
        }
        int[] wdims = w.dims();
        int o = wdims[0], ig = wdims[1], kh = wdims[2], kw = wdims[3];
        int group = (int) n.i("group", 1);
        int[] ks = n.ints("kernel_shape");
        if (ks != null && (ks.length != 2 || ks[0] != kh || ks[1] != kw)) {
            throw ctx.shapeError(n, "kernel_shape " + Shapes.str(ks) + " but weights " + Shapes.str(wdims));
        }
        if (group < 1 || ig * group != c) {
            throw ctx.shapeError(n, "input '" + x.name() + "' has " + c + " channels but weights "
                    + Shapes.str(wdims) + " with group=" + group + " expect " + (long) ig * group);
        }
        boolean depthwise = group > 1 && group == c && ig == 1 && o % c == 0;
        if (group != 1 && !depthwise) {
            throw new Unsupported("group=" + group + " (only 1 or channels=" + c + ")");
        }
        if (b != null && b.size() != o) {
            throw ctx.shapeError(n, "bias has " + b.size() + " values for " + o + " output channels");
        }
        int[] strides = twoInts(n, "strides", 1);
        int[] dil = twoInts(n, "dilations", 1);
        if (strides[0] < 1 || strides[1] < 1 || dil[0] < 1 || dil[1] < 1) {
            throw ctx.shapeError(n, "strides " + Shapes.str(strides) + " / dilations " + Shapes.str(dil) + " must be >= 1");
        }
        int[] pads = fourPads(ctx, n);
        String autoPad = n.s("auto_pad", "NOTSET");
        int[] ph = Shapes.resolvePad(autoPad, h, strides[0], Shapes.effectiveKernel(kh, dil[0]), pads[0], pads[2]);
        int[] pw = Shapes.resolvePad(autoPad, wd, strides[1], Shapes.effectiveKernel(kw, dil[1]), pads[1], pads[3]);
        int oh = Shapes.outputFloor(h, ph[0], ph[1], Shapes.effectiveKernel(kh, dil[0]), strides[0]);
        int ow = Shapes.outputFloor(wd, pw[0], pw[1], Shapes.effectiveKernel(kw, dil[1]), strides[1]);
        if (oh < 1 || ow < 1) {
            throw ctx.shapeError(n, "kernel " + kh + "x" + kw + " (dilation " + Shapes.str(dil) + ") does not fit the "
                    + h + "x" + wd + " input with pads " + Shapes.str(pads));
        }
        float[] src = w.toFloats();
        float[] dst = new float[src.length];
        int[] wshape;
        if (depthwise) {
            // ONNX [O,1,KH,KW] -> TFLite 1HWO
            for (int oc = 0; oc < o; oc++) {
                for (int y = 0; y < kh; y++) {
                    for (int xx = 0; xx < kw; xx++) {
                        dst[(y * kw + xx) * o + oc] = src[(oc * kh + y) * kw + xx];
                    }
                }
            }
            wshape = new int[] {1, kh, kw, o};
        } else {
            // ONNX OIHW -> OHWI
            for (int oc = 0; oc < o; oc++) {
                for (int ic = 0; ic < c; ic++) {
                    for (int y = 0; y < kh; y++) {
                        for (int xx = 0; xx < kw; xx++) {
                            dst[((oc * kh + y) * kw + xx) * c + ic] = src[((oc * c + ic) * kh + y) * kw + xx];
                        }
                    }
                }
            }
            wshape = new int[] {o, kh, kw, c};
        }
        Value wv = Value.constant(ctx.freshName(n.input(1)), wshape, dst);
        Value bv = b == null ? null : Value.constant(ctx.freshName(n.input(2)), new int[] {o}, b.toFloats());
        ConvOptions.Builder opt = ConvOptions.newBuilder()
                .setStrideH(strides[0]).setStrideW(strides[1])
                .setDilationH(dil[0]).setDilationW(dil[1])
                .setPadding(padding(ph[0], pw[0], ph[1], pw[1]));
        if (depthwise) {
            opt.setDepthMultiplier(o / c);
        }
        Value y = out(ctx, n, new int[] {1, o, oh, ow}, null);
        ctx.emit(new Node(n.name(), depthwise ? OpType.DEPTHWISE_CONV_2D : OpType.CONV_2D, opt.build(),
                Arrays.asList(x, wv, bv), y));
    }

    // ---------------------------------------------------------------- pools

    private static void pool(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        Value x = spatial(ctx, n);
        boolean max = n.opType().equals("MaxPool");
        if (max && !n.output(1).isEmpty()) {
            throw new Unsupported("has an Indices output (not supported)");
        }
        int[] xs = x.onnxShape();
        int c = xs[1], h = xs[2], w = xs[3];
        int[] k = n.ints("kernel_shape");
        if (k == null || k.length != 2) {
            throw new Unsupported("kernel_shape " + (k == null ? "missing" : Shapes.str(k)) + " (only 2-D pooling)");
        }
        int[] dil = twoInts(n, "dilations", 1);
        if (dil[0] != 1 || dil[1] != 1) {
            throw new Unsupported("dilations=" + Shapes.str(dil) + " (dilated pooling is not supported)");
        }
        int[] strides = twoInts(n, "strides", 1);
        if (k[0] < 1 || k[1] < 1 || strides[0] < 1 || strides[1] < 1) {
            throw ctx.shapeError(n, "kernel_shape " + Shapes.str(k) + " / strides " + Shapes.str(strides) + " must be >= 1");
        }
        int[] pads = fourPads(ctx, n);
        String autoPad = n.s("auto_pad", "NOTSET");
        int[] ph = Shapes.resolvePad(autoPad, h, strides[0], k[0], pads[0], pads[2]);
        int[] pw = Shapes.resolvePad(autoPad, w, strides[1], k[1], pads[1], pads[3]);
        boolean ceil = n.i("ceil_mode", 0) != 0;
        int oh = ceil ? Shapes.outputCeil(h, ph[0], ph[1], k[0], strides[0]) : Shapes.outputFloor(h, ph[0], ph[1], k[0], strides[0]);
        int ow = ceil ? Shapes.outputCeil(w, pw[0], pw[1], k[1], strides[1]) : Shapes.outputFloor(w, pw[0], pw[1], k[1], strides[1]);
        if (oh < 1 || ow < 1) {
            throw ctx.shapeError(n, "kernel " + Shapes.str(k) + " does not fit the " + h + "x" + w
                    + " input with pads " + Shapes.str(pads));
        }
        if (ph[0] >= k[0] || ph[1] >= k[0] || pw[0] >= k[1] || pw[1] >= k[1]) {
            throw new Unsupported("pads " + Shapes.str(new int[] {ph[0], pw[0], ph[1], pw[1]})
                    + " not smaller than the kernel " + Shapes.str(k));
        }
        // The original pads and ceil_mode go to the runtime as they are: it sizes the output the
        // same way and divides count_include_pad windows by their extent clipped to the padding.
        boolean includePad = !max && n.i("count_include_pad", 0) != 0;
        PoolOptions opt = PoolOptions.newBuilder()
                .setKernelH(k[0]).setKernelW(k[1]).setStrideH(strides[0]).setStrideW(strides[1])
                .setPadding(padding(ph[0], pw[0], ph[1], pw[1]))
                .setCountIncludePad(includePad)
                .setCeilMode(ceil)
                .build();
        Value y = out(ctx, n, new int[] {1, c, oh, ow}, null);
        ctx.emit(new Node(n.name(), max ? OpType.MAX_POOL_2D : OpType.AVERAGE_POOL_2D, opt, List.of(x), y));
    }

    private static void globalPool(OnnxImporter ctx, OnnxNode n) throws Unsupported {
        Value x = spatial(ctx, n);
        Value y = out(ctx, n, new int[] {1, x.onnxShape()[1], 1, 1}, null);
        ctx.emit(new Node(n.name(), n.opType().equals("GlobalMaxPool") ? OpType.GLOBAL_MAX_POOL
                : OpType.GLOBAL_AVERAGE_POOL, null, List.of(x), y));
    }

    // ---------------------------------------------------------------- dense

    private static void gemm(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        if (n.i("transA", 0) != 0) {
            throw new Unsupported("transA=1 (only transA=0)");
        }
        Value a = vector(ctx, n, 0);
        OnnxConstant b = ctx.constant(n, 1, "B");
        OnnxConstant c = ctx.constantOrNull(n, 2, "C");
        if (b.rank() != 2) {
            throw ctx.shapeError(n, "B has shape " + Shapes.str(b.dims()) + " (Gemm needs a matrix)");
        }
        boolean transB = n.i("transB", 0) != 0;
        float alpha = n.f("alpha", 1f);
        float beta = n.f("beta", 1f);
        int k = a.onnxShape()[1];
        int bk = transB ? b.dims()[1] : b.dims()[0];
        int outN = transB ? b.dims()[0] : b.dims()[1];
        if (bk != k) {
            throw ctx.shapeError(n, "input '" + a.name() + "' has " + k + " features but B " + Shapes.str(b.dims())
                    + (transB ? " (transB=1)" : "") + " expects " + bk);
        }
        float[] w = new float[outN * k];
        for (int o = 0; o < outN; o++) {
            for (int i = 0; i < k; i++) {
                w[o * k + i] = (float) (alpha * (transB ? b.get(o * k + i) : b.get(i * outN + o)));
            }
        }
        float[] bias = null;
        if (c != null) {
            int[] cd = c.dims();
            int cn = c.size();
            boolean ok = cn == 1 || (cn == outN && cd[cd.length - 1] == outN);
            if (!ok) {
                throw ctx.shapeError(n, "C has shape " + Shapes.str(cd) + "; it must broadcast to [1," + outN + "]");
            }
            bias = new float[outN];
            for (int o = 0; o < outN; o++) {
                bias[o] = (float) (beta * c.get(cn == 1 ? 0 : o));
            }
        }
        dense(ctx, n, a, w, outN, k, bias);
    }

    private static void matMul(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        Value a = vector(ctx, n, 0);
        OnnxConstant b = ctx.constant(n, 1, "B");
        int k = a.onnxShape()[1];
        if (b.rank() != 2 || b.dims()[0] != k) {
            throw ctx.shapeError(n, "input '" + a.name() + "' has " + k + " features but B has shape " + Shapes.str(b.dims()));
        }
        int outN = b.dims()[1];
        float[] w = new float[outN * k];
        for (int o = 0; o < outN; o++) {
            for (int i = 0; i < k; i++) {
                w[o * k + i] = (float) b.get(i * outN + o);
            }
        }
        dense(ctx, n, a, w, outN, k, null);
    }

    /**
     * Emits FULLY_CONNECTED with weights [out][in] in ONNX's logical input order; when the input
     * is a flattened C x H x W tensor (stored HWC), the columns are permuted from CHW to HWC.
     */
    private static void dense(OnnxImporter ctx, OnnxNode n, Value a, float[] w, int outN, int k, float[] bias) {
        float[] weights = w;
        int[] chw = a.chwOrigin();
        if (chw != null) {
            weights = new float[w.length];
            int c = chw[0], hw = chw[1] * chw[2];
            for (int o = 0; o < outN; o++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int s = 0; s < hw; s++) {
                        weights[o * k + s * c + ch] = w[o * k + ch * hw + s];
                    }
                }
            }
        }
        Value wv = Value.constant(ctx.freshName(n.input(1)), new int[] {outN, k}, weights);
        Value bv = bias == null ? null : Value.constant(ctx.freshName(n.hasInput(2) ? n.input(2) : n.name() + ".bias"),
                new int[] {outN}, bias);
        Value y = out(ctx, n, new int[] {1, outN}, null);
        ctx.emit(new Node(n.name(), OpType.FULLY_CONNECTED, FullyConnectedOptions.getDefaultInstance(),
                Arrays.asList(a, wv, bv), y));
    }

    // ---------------------------------------------------------------- element-wise

    private static void addOrMul(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        boolean add = n.opType().equals("Add");
        OpType type = add ? OpType.ADD : OpType.MUL;
        boolean c0 = ctx.isConstant(n.input(0));
        boolean c1 = ctx.isConstant(n.input(1));
        if (c0 && c1) {
            throw new Unsupported("has two constant inputs (constant folding is not supported)");
        }
        if (!c0 && !c1) {
            Value a = ctx.activation(n, 0);
            Value b = ctx.activation(n, 1);
            if (!add) {
                throw new Unsupported("multiplies two computed tensors (only a per-channel constant factor)");
            }
            if (!Arrays.equals(a.onnxShape(), b.onnxShape())) {
                throw new Unsupported("broadcasts " + Shapes.str(a.onnxShape()) + " with " + Shapes.str(b.onnxShape())
                        + " (element-wise Add needs equal shapes, or a per-channel constant)");
            }
            if (!Arrays.equals(a.chwOrigin(), b.chwOrigin())) {
                throw new Unsupported("adds a flattened C x H x W tensor to one of another layout");
            }
            Value y = out(ctx, n, a.onnxShape(), a.chwOrigin());
            ctx.emit(new Node(n.name(), type, null, List.of(a, b), y));
            return;
        }
        int xi = c0 ? 1 : 0;
        Value x = ctx.activation(n, xi);
        OnnxConstant k = ctx.constant(n, 1 - xi, "operand");
        float[] perChannel = perChannel(ctx, n, x, k);
        Value kv = Value.constant(ctx.freshName(n.input(1 - xi)), new int[] {perChannel.length}, perChannel);
        Value y = out(ctx, n, x.onnxShape(), x.chwOrigin());
        ctx.emit(new Node(n.name(), type, null, List.of(x, kv), y));
    }

    /**
     * A constant operand as one value per channel (last NHWC axis); accepts a scalar, [C,1,1] /
     * [1,C,1,1] on images, [N] / [1,N] on vectors (permuted when the vector is a flattened CHW).
     */
    private static float[] perChannel(OnnxImporter ctx, OnnxNode n, Value x, OnnxConstant k) throws Unsupported {
        int[] xs = x.onnxShape();
        int channels = xs[1];
        int[] kd = trimLeadingOnes(k.dims());
        float[] src = k.toFloats();
        if (src.length == 1) {
            int len = xs.length == 4 ? channels : xs[1];
            float[] r = new float[len];
            Arrays.fill(r, src[0]);
            return r;
        }
        boolean ok = xs.length == 4 ? kd.length == 3 && kd[0] == channels && kd[1] == 1 && kd[2] == 1
                : kd.length == 1 && kd[0] == channels;
        if (!ok || k.rank() > xs.length) {
            throw new Unsupported("has a constant operand of shape " + Shapes.str(k.dims()) + " for input "
                    + Shapes.str(xs) + " (edgeq takes a scalar or one value per channel)");
        }
        int[] chw = x.chwOrigin();
        if (chw == null) {
            return src;
        }
        float[] r = new float[src.length];
        int c = chw[0], hw = chw[1] * chw[2];
        for (int ch = 0; ch < c; ch++) {
            for (int s = 0; s < hw; s++) {
                r[s * c + ch] = src[ch * hw + s];
            }
        }
        return r;
    }

    private static void batchNorm(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        Value x = ctx.activation(n, 0);
        if (n.i("training_mode", 0) != 0) {
            throw new Unsupported("training_mode=1 (only inference)");
        }
        for (int i = 1; i < n.outputs().size(); i++) {
            if (!n.output(i).isEmpty()) {
                throw new Unsupported("has training outputs (running mean/var)");
            }
        }
        int[] xs = x.onnxShape();
        if (x.chwOrigin() != null) {
            throw new Unsupported("normalizes a flattened tensor per element");
        }
        int c = xs[1];
        OnnxConstant scale = ctx.constant(n, 1, "scale");
        OnnxConstant bias = ctx.constant(n, 2, "B");
        OnnxConstant mean = ctx.constant(n, 3, "mean");
        OnnxConstant var = ctx.constant(n, 4, "var");
        for (OnnxConstant p : List.of(scale, bias, mean, var)) {
            if (p.size() != c) {
                throw ctx.shapeError(n, "parameter " + p + " has " + p.size() + " values for " + c + " channels");
            }
        }
        double eps = n.f("epsilon", 1e-5f);
        float[] mul = new float[c];
        float[] shift = new float[c];
        for (int i = 0; i < c; i++) {
            double s = scale.get(i) / Math.sqrt(var.get(i) + eps);
            mul[i] = (float) s;
            shift[i] = (float) (bias.get(i) - mean.get(i) * s);
        }
        // y = x * s + (B - mean * s): MUL then ADD; FoldAffineIntoConv folds both into a conv before it.
        Value mv = Value.constant(ctx.freshName(n.name() + ".bn_scale"), new int[] {c}, mul);
        Value av = Value.constant(ctx.freshName(n.name() + ".bn_shift"), new int[] {c}, shift);
        Value mid = Value.activation(ctx.freshName(n.output(0) + "/scaled"), Shapes.nhwc(xs), xs, null);
        ctx.emit(new Node(n.name() + "/mul", OpType.MUL, null, List.of(x, mv), mid));
        Value y = out(ctx, n, xs, null);
        ctx.emit(new Node(n.name(), OpType.ADD, null, List.of(mid, av), y));
    }

    private static void unary(OnnxImporter ctx, OnnxNode n, OpType type, com.google.protobuf.Message opt)
            throws Unsupported {
        Value x = ctx.activation(n, 0);
        Value y = out(ctx, n, x.onnxShape(), x.chwOrigin());
        ctx.emit(new Node(n.name(), type, opt, List.of(x), y));
    }

    private static void clip(OnnxImporter ctx, OnnxNode n) throws Unsupported {
        float min = Float.NEGATIVE_INFINITY;
        float max = Float.POSITIVE_INFINITY;
        if (ctx.opset() < 11) {
            min = n.f("min", min);
            max = n.f("max", max);
        } else {
            OnnxConstant lo = ctx.constantOrNull(n, 1, "min");
            OnnxConstant hi = ctx.constantOrNull(n, 2, "max");
            if (lo != null) {
                min = scalar(lo, "min");
            }
            if (hi != null) {
                max = scalar(hi, "max");
            }
        }
        unary(ctx, n, OpType.CLIP, ClipOptions.newBuilder().setMin(min).setMax(max).build());
    }

    private static void softmax(OnnxImporter ctx, OnnxNode n) throws Unsupported {
        Value x = ctx.activation(n, 0);
        int[] xs = x.onnxShape();
        int rank = xs.length;
        int axis = (int) n.i("axis", ctx.opset() >= 13 ? -1 : 1);
        if (axis < 0) {
            axis += rank;
        }
        // edgeq's SOFTMAX runs over the last NHWC axis (channels). That is ONNX's meaning when the
        // ONNX axis covers exactly the channels: [1,N] with axis 1, or an image with H = W = 1.
        boolean ok;
        if (rank == 2) {
            ok = axis == 1;
        } else {
            boolean pointwise = xs[2] == 1 && xs[3] == 1;
            ok = pointwise && (axis == 1 || (ctx.opset() < 13 && axis >= 1));
        }
        if (!ok) {
            throw new Unsupported("axis=" + n.i("axis", ctx.opset() >= 13 ? -1 : 1) + " on shape " + Shapes.str(xs)
                    + " (only over the channels of [1,N] or [1,C,1,1])");
        }
        unary(ctx, n, OpType.SOFTMAX, SoftmaxOptions.newBuilder().setBeta(1f).build());
    }

    private static void lrn(OnnxImporter ctx, OnnxNode n) throws Unsupported {
        spatial(ctx, n);
        if (!n.has("size")) {
            throw new Unsupported("has no size attribute");
        }
        unary(ctx, n, OpType.LRN, LrnOptions.newBuilder().setSize((int) n.i("size", 1))
                .setAlpha(n.f("alpha", 1e-4f)).setBeta(n.f("beta", 0.75f)).setBias(n.f("bias", 1f)).build());
    }

    // ---------------------------------------------------------------- pad

    private static void pad(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        Value x = spatial(ctx, n);
        String mode = n.s("mode", "constant");
        if (!mode.equals("constant")) {
            throw new Unsupported("mode=" + mode + " (only constant)");
        }
        long[] pads;
        float value = 0f;
        if (ctx.opset() < 11) {
            int[] p = n.ints("pads");
            if (p == null) {
                throw new Unsupported("has no pads");
            }
            pads = Arrays.stream(p).asLongStream().toArray();
            value = n.f("value", 0f);
        } else {
            pads = ctx.constant(n, 1, "pads").toLongs();
            OnnxConstant v = ctx.constantOrNull(n, 2, "constant_value");
            if (v != null) {
                value = scalar(v, "constant_value");
            }
            if (n.hasInput(3)) {
                throw new Unsupported("has an axes input (not supported)");
            }
        }
        if (pads.length != 8) {
            throw ctx.shapeError(n, "pads " + Arrays.toString(pads) + " for a rank-4 input (need 8 values)");
        }
        if (pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0) {
            throw new Unsupported("pads the batch or channel axis " + Arrays.toString(pads) + " (only H and W)");
        }
        for (long p : pads) {
            if (p < 0) {
                throw new Unsupported("has negative pads " + Arrays.toString(pads) + " (cropping is not supported)");
            }
            if (p > 1 << 16) {
                throw ctx.shapeError(n, "pads " + Arrays.toString(pads) + " are implausibly large");
            }
        }
        int[] p = {(int) pads[2], (int) pads[3], (int) pads[6], (int) pads[7]};
        int[] xs = x.onnxShape();
        Value y = out(ctx, n, new int[] {1, xs[1], xs[2] + p[0] + p[2], xs[3] + p[1] + p[3]}, null);
        ctx.emit(new Node(n.name(), OpType.PAD, PadOptions.newBuilder()
                .setPadding(padding(p[0], p[1], p[2], p[3])).setValue(value).build(), List.of(x), y));
    }

    // ---------------------------------------------------------------- shapes

    private static void flatten(OnnxImporter ctx, OnnxNode n) throws Unsupported {
        Value x = ctx.activation(n, 0);
        int[] xs = x.onnxShape();
        int axis = (int) n.i("axis", 1);
        if (axis < 0) {
            axis += xs.length;
        }
        if (axis > 1) {
            throw new Unsupported("axis=" + n.i("axis", 1) + " on " + Shapes.str(xs)
                    + " (the result must be [1,N]: axis 0 or 1)");
        }
        reshapeTo(ctx, n, x, new int[] {1, Shapes.product(xs)});
    }

    private static void reshape(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        Value x = ctx.activation(n, 0);
        int[] xs = x.onnxShape();
        long[] spec = ctx.constant(n, 1, "shape").toLongs();
        boolean allowZero = n.i("allowzero", 0) != 0;
        int[] ys = new int[spec.length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < spec.length; i++) {
            long s = spec[i];
            if (s == -1) {
                if (inferred >= 0) {
                    throw ctx.shapeError(n, "shape " + Arrays.toString(spec) + " has more than one -1");
                }
                inferred = i;
                continue;
            }
            if (s == 0 && !allowZero) {
                if (i >= xs.length) {
                    throw ctx.shapeError(n, "shape " + Arrays.toString(spec) + " copies dimension " + i
                            + " that input " + Shapes.str(xs) + " lacks");
                }
                s = xs[i];
            }
            if (s < 0 || s > Integer.MAX_VALUE) {
                throw ctx.shapeError(n, "shape " + Arrays.toString(spec) + " has an invalid dimension");
            }
            ys[i] = (int) s;
            known *= s;
        }
        int total = Shapes.product(xs);
        if (inferred >= 0) {
            if (known == 0 || total % known != 0) {
                throw ctx.shapeError(n, "cannot reshape " + Shapes.str(xs) + " to " + Arrays.toString(spec));
            }
            ys[inferred] = (int) (total / known);
            known *= ys[inferred];
        }
        if (known != total) {
            throw ctx.shapeError(n, "cannot reshape " + Shapes.str(xs) + " (" + total + " values) to "
                    + Arrays.toString(spec) + " (" + known + " values)");
        }
        reshapeTo(ctx, n, x, ys);
    }

    /**
     * A reshape is a RESHAPE (no data movement) only when NHWC order says the same as ONNX order:
     * flattening an image (then the result remembers its C x H x W origin for the dense layer),
     * undoing such a flatten, or reshaping tensors whose NHWC and NCHW orders coincide.
     */
    private static void reshapeTo(OnnxImporter ctx, OnnxNode n, Value x, int[] ys) throws Unsupported {
        int[] xs = x.onnxShape();
        if (ys.length != 2 && ys.length != 4) {
            throw new Unsupported("to rank " + ys.length + " " + Shapes.str(ys) + " (edgeq keeps [1,N] or [1,C,H,W])");
        }
        if (ys[0] != 1) {
            throw new Unsupported("to " + Shapes.str(ys) + " changes the batch dimension (edgeq runs batch 1)");
        }
        int[] chw = null;
        if (Arrays.equals(xs, ys)) {
            chw = x.chwOrigin();
        } else if (ys.length == 2) {
            chw = x.chwOrigin();
            if (chw == null && !naturalOrder(xs)) {
                chw = new int[] {xs[1], xs[2], xs[3]};
            }
        } else {
            int[] xchw = x.chwOrigin();
            boolean undoFlatten = xchw != null && xchw[0] == ys[1] && xchw[1] == ys[2] && xchw[2] == ys[3];
            boolean sameOrder = xchw == null && naturalOrder(xs) && naturalOrder(ys);
            if (!undoFlatten && !sameOrder) {
                throw new Unsupported("from " + Shapes.str(xs) + " to " + Shapes.str(ys)
                        + " would reorder the NHWC data (needs a transpose)");
            }
        }
        Value y = out(ctx, n, ys, chw);
        ctx.emit(new Node(n.name(), OpType.RESHAPE, null, List.of(x), y));
    }

    /** True when this ONNX shape's NCHW order equals its NHWC order (vectors, C = 1 or H = W = 1). */
    private static boolean naturalOrder(int[] s) {
        return s.length != 4 || s[1] == 1 || s[2] * s[3] == 1;
    }

    private static void dropout(OnnxImporter ctx, OnnxNode n) throws Unsupported {
        Value x = ctx.activation(n, 0);
        if (!n.output(1).isEmpty()) {
            throw new Unsupported("has a mask output (not supported)");
        }
        if (ctx.opset() >= 12 && n.hasInput(2)) {
            OnnxConstant training = ctx.constant(n, 2, "training_mode");
            if (training.size() != 1 || training.get(0) != 0) {
                throw new Unsupported("training_mode is true (only inference)");
            }
        }
        identity(ctx, n, x);
    }

    /** Identity and inference Dropout: a no-op RESHAPE, removed by RemoveNoOps. */
    private static void identity(OnnxImporter ctx, OnnxNode n, Value x) {
        Value y = out(ctx, n, x.onnxShape(), x.chwOrigin());
        ctx.emit(new Node(n.name(), OpType.RESHAPE, null, List.of(x), y));
    }

    private static void constantNode(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        String where = n.label();
        OnnxConstant c;
        if (n.has("value")) {
            c = OnnxConstant.decode(n.attribute("value").getT(), where);
        } else if (n.has("value_float")) {
            c = new OnnxConstant(n.output(0), new int[0], new double[] {n.f("value_float", 0)});
        } else if (n.has("value_int")) {
            c = new OnnxConstant(n.output(0), new int[0], new double[] {n.i("value_int", 0)});
        } else if (n.has("value_floats")) {
            AttributeProto a = n.attribute("value_floats");
            double[] v = new double[a.getFloatsCount()];
            for (int i = 0; i < v.length; i++) {
                v[i] = a.getFloats(i);
            }
            c = new OnnxConstant(n.output(0), new int[] {v.length}, v);
        } else if (n.has("value_ints")) {
            AttributeProto a = n.attribute("value_ints");
            double[] v = new double[a.getIntsCount()];
            for (int i = 0; i < v.length; i++) {
                v[i] = a.getInts(i);
            }
            c = new OnnxConstant(n.output(0), new int[] {v.length}, v);
        } else {
            List<String> names = new ArrayList<>();
            n.attributeNames().forEach(names::add);
            throw new Unsupported("has attributes " + names + " (only value, value_float(s), value_int(s))");
        }
        ctx.defineConstant(n.output(0), c.renamed(n.output(0)));
    }

    // ---------------------------------------------------------------- helpers

    private static Value spatial(OnnxImporter ctx, OnnxNode n) throws Unsupported {
        Value x = ctx.activation(n, 0);
        if (x.onnxShape().length != 4) {
            throw new Unsupported("input '" + x.name() + "' has shape " + Shapes.str(x.onnxShape())
                    + " (only 2-D images [1,C,H,W])");
        }
        return x;
    }

    private static Value vector(OnnxImporter ctx, OnnxNode n, int i) throws Unsupported {
        Value x = ctx.activation(n, i);
        if (x.onnxShape().length != 2) {
            throw new Unsupported("input '" + x.name() + "' has shape " + Shapes.str(x.onnxShape())
                    + " (a dense layer reads [1,N]; add a Flatten)");
        }
        return x;
    }

    private static Value out(OnnxImporter ctx, OnnxNode n, int[] onnxShape, int[] chw) {
        Value y = Value.activation(n.output(0), Shapes.nhwc(onnxShape), onnxShape, chw);
        ctx.define(n, 0, y);
        return y;
    }

    private static int[] twoInts(OnnxNode n, String attr, int dflt) throws Unsupported, ConversionException {
        int[] v = n.ints(attr);
        if (v == null) {
            return new int[] {dflt, dflt};
        }
        if (v.length != 2) {
            throw new Unsupported(attr + "=" + Shapes.str(v) + " (only 2-D)");
        }
        return v;
    }

    /** ONNX pads [top, left, bottom, right] (x1_begin, x2_begin, x1_end, x2_end), zeros when absent. */
    private static int[] fourPads(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        int[] p = n.ints("pads");
        if (p == null) {
            return new int[4];
        }
        if (p.length != 4) {
            throw new Unsupported("pads=" + Shapes.str(p) + " (only 2-D)");
        }
        for (int v : p) {
            if (v < 0) {
                throw new Unsupported("has negative pads " + Shapes.str(p));
            }
        }
        return p;
    }

    private static Padding padding(int top, int left, int bottom, int right) {
        return Padding.newBuilder().setTop(top).setLeft(left).setBottom(bottom).setRight(right).build();
    }

    private static int[] trimLeadingOnes(int[] d) {
        int i = 0;
        while (i < d.length && d[i] == 1) {
            i++;
        }
        return Arrays.copyOfRange(d, i, d.length);
    }

    private static float scalar(OnnxConstant c, String what) throws Unsupported {
        if (c.size() != 1) {
            throw new Unsupported(what + " has " + c.size() + " values (a scalar is needed)");
        }
        return (float) c.get(0);
    }
}
