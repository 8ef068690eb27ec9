package dev.edgeq.converter.ops;

import static dev.edgeq.converter.export.OnnxGraphWriter.integer;
import static dev.edgeq.converter.export.OnnxGraphWriter.ints;
import static dev.edgeq.converter.ops.Lowering.fourPads;
import static dev.edgeq.converter.ops.Lowering.out;
import static dev.edgeq.converter.ops.Lowering.padding;
import static dev.edgeq.converter.ops.Lowering.spatial;
import static dev.edgeq.converter.ops.Lowering.twoInts;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.export.OnnxExporter;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.converter.onnx.OnnxConstant;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.Shapes;
import dev.edgeq.converter.onnx.Unsupported;
import dev.edgeq.format.ConvOptions;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.format.Padding;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.TensorInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ONNX Conv (any group dividing the channels; depthwise when group = channels with one input
 * channel per group) as CONV_2D (weights OHWI, I = channels per group) or DEPTHWISE_CONV_2D (weights 1HWO);
 * int8 with per-output-channel weights; exported as Conv with group.
 */
final class ConvSpec implements OnnxOpSpec, EdgeqOpSpec {
    static final ConvSpec INSTANCE = new ConvSpec();

    private ConvSpec() {}

    @Override
    public List<String> onnxTypes() {
        return List.of("Conv");
    }

    @Override
    public List<OpType> edgeqTypes() {
        return List.of(OpType.CONV_2D, OpType.DEPTHWISE_CONV_2D);
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
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
        if (o % group != 0) {
            throw ctx.shapeError(n, "group=" + group + " does not divide the " + o + " output channels");
        }
        if (b != null && b.size() != o) {
            throw ctx.shapeError(n, "bias has " + b.size() + " values for " + o + " output channels");
        }
        int[] strides = twoInts(n, "strides", 1);
        int[] dil = twoInts(n, "dilations", 1);
        if (strides[0] < 1 || strides[1] < 1 || dil[0] < 1 || dil[1] < 1) {
            throw ctx.shapeError(n, "strides " + Shapes.str(strides) + " / dilations " + Shapes.str(dil) + " must be >= 1");
        }
        int[] pads = fourPads(n);
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
            // ONNX OIHW -> OHWI (I = ig, the input channels of one group)
            for (int oc = 0; oc < o; oc++) {
                for (int ic = 0; ic < ig; ic++) {
                    for (int y = 0; y < kh; y++) {
                        for (int xx = 0; xx < kw; xx++) {
                            dst[((oc * kh + y) * kw + xx) * ig + ic] = src[((oc * ig + ic) * kh + y) * kw + xx];
                        }
                    }
                }
            }
            wshape = new int[] {o, kh, kw, ig};
        }
        Value wv = Value.constant(ctx.freshName(n.input(1)), wshape, dst);
        Value bv = b == null ? null : Value.constant(ctx.freshName(n.input(2)), new int[] {o}, b.toFloats());
        ConvOptions.Builder opt = ConvOptions.newBuilder()
                .setStrideH(strides[0]).setStrideW(strides[1])
                .setDilationH(dil[0]).setDilationW(dil[1])
                .setPadding(padding(ph[0], pw[0], ph[1], pw[1]));
        if (depthwise) {
            opt.setDepthMultiplier(o / c);
        } else if (group > 1) {
            opt.setGroups(group);
        }
        Value y = out(ctx, n, new int[] {1, o, oh, ow}, null);
        ctx.emit(new Node(n.name(), depthwise ? OpType.DEPTHWISE_CONV_2D : OpType.CONV_2D, opt.build(),
                Arrays.asList(x, wv, bv), y));
    }

    /** Weights symmetric per output channel: OHWI along axis 0, depthwise 1HWO along axis 3. */
    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) {
        return Int8Rule.affine(op.getType() == OpType.DEPTHWISE_CONV_2D ? 3 : 0);
    }

    @Override
    public void export(OnnxExporter ex, Operator op, String name) throws ConversionException {
        ex.result(op, 0, ex.fusedActivation(conv(ex, op, name), op.getConv().getActivation(), name), name);
    }

    private static String conv(OnnxExporter ex, Operator op, String name) throws ConversionException {
        boolean depthwise = op.getType() == dev.edgeq.format.OpType.DEPTHWISE_CONV_2D;
        TensorInfo x = ex.model().tensor(op.getInputs(0));
        TensorInfo w = ex.model().tensor(op.getInputs(1));
        ConvOptions o = op.getConv();
        // OHWI (conv) or 1HWO (depthwise) -> OIHW ([O][1][H][W] for depthwise, group = C_in)
        int outC = depthwise ? w.dim(3) : w.dim(0);
        int kh = w.dim(1);
        int kw = w.dim(2);
        int inPerGroup = depthwise ? 1 : w.dim(3);
        int n = w.elementCount();
        int[] perm = new int[n];
        for (int oc = 0; oc < outC; oc++) {
            for (int ic = 0; ic < inPerGroup; ic++) {
                for (int h = 0; h < kh; h++) {
                    for (int v = 0; v < kw; v++) {
                        int dst = ((oc * inPerGroup + ic) * kh + h) * kw + v;
                        perm[dst] = depthwise ? (h * kw + v) * outC + oc : ((oc * kh + h) * kw + v) * inPerGroup + ic;
                    }
                }
            }
        }
        String weights = ex.weights(w, perm, new long[] {outC, inPerGroup, kh, kw}, x);
        List<String> inputs = new ArrayList<>(List.of(ex.floatInput(op, 0), weights));
        if (op.getInputsCount() > 2 && op.getInputs(2) >= 0) {
            inputs.add(ex.bias(ex.model().tensor(op.getInputs(2)), x, w));
        }
        Padding p = o.getPadding();
        return ex.graph().node("Conv", inputs.toArray(new String[0]), name,
                ints("kernel_shape", kh, kw),
                ints("strides", OnnxExporter.positive(o.getStrideH()), OnnxExporter.positive(o.getStrideW())),
                ints("dilations", OnnxExporter.positive(o.getDilationH()), OnnxExporter.positive(o.getDilationW())),
                ints("pads", p.getTop(), p.getLeft(), p.getBottom(), p.getRight()),
                integer("group", depthwise ? x.dim(3) : Math.max(1, o.getGroups())));
    }

    @Override
    public Window window(Operator op, Model model) {
        TensorInfo w = model.tensor(op.getInputs(1));
        ConvOptions c = op.getConv();
        int kh = w.dim(1);
        int kw = w.dim(2);
        int sh = Math.max(1, c.getStrideH());
        int sw = Math.max(1, c.getStrideW());
        int dh = Math.max(1, c.getDilationH());
        int dw = Math.max(1, c.getDilationW());
        return new Window(kh, kw, sh, sw, dh, dw, false, kh + "x" + kw + "/" + sh + (dh > 1 ? " d" + dh : ""));
    }
}
