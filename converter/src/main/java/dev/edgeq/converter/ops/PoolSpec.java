package dev.edgeq.converter.ops;

import static dev.edgeq.converter.export.OnnxGraphWriter.integer;
import static dev.edgeq.converter.export.OnnxGraphWriter.ints;
import static dev.edgeq.converter.export.OnnxGraphWriter.real;
import static dev.edgeq.converter.ops.Lowering.fourPads;
import static dev.edgeq.converter.ops.Lowering.out;
import static dev.edgeq.converter.ops.Lowering.padding;
import static dev.edgeq.converter.ops.Lowering.spatial;
import static dev.edgeq.converter.ops.Lowering.twoInts;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.export.OnnxExporter;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.Shapes;
import dev.edgeq.converter.onnx.Unsupported;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.format.Padding;
import dev.edgeq.format.PoolOptions;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.TensorInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** ONNX MaxPool / AveragePool as MAX_POOL_2D / AVERAGE_POOL_2D with explicit padding and ceil_mode. */
final class PoolSpec implements OnnxOpSpec, EdgeqOpSpec {
    static final PoolSpec INSTANCE = new PoolSpec();

    private PoolSpec() {}

    @Override
    public List<String> onnxTypes() {
        return List.of("MaxPool", "AveragePool");
    }

    @Override
    public List<OpType> edgeqTypes() {
        return List.of(OpType.MAX_POOL_2D, OpType.AVERAGE_POOL_2D);
    }

    @Override
    public String attributeProblem(OnnxNode n) throws ConversionException {
        int[] d = n.ints("dilations");
        if (d != null && Arrays.stream(d).anyMatch(v -> v != 1)) {
            return "dilations=" + Shapes.str(d) + " (dilated pooling is not supported)";
        }
        if (n.opType().equals("MaxPool") && !n.output(1).isEmpty()) {
            return "has an Indices output (not supported)";
        }
        return null;
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
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
        int[] pads = fourPads(n);
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

    /**
     * Pooling keeps its input's quantization (the int8 kernels compare or average without
     * requantizing), except an average pool with count_include_pad and padding: it divides by
     * positions that hold real 0, which int8 represents only at zero point 0, so it runs in float.
     */
    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) {
        PoolOptions o = op.getPool();
        Padding p = o.getPadding();
        boolean countsPadding = op.getType() == OpType.AVERAGE_POOL_2D && o.getCountIncludePad()
                && (p.getTop() + p.getLeft() + p.getBottom() + p.getRight()) > 0;
        return countsPadding ? Int8Rule.runsInFloat("average pool counting padding") : Int8Rule.keepsInputQuantization();
    }

    @Override
    public void export(OnnxExporter ex, Operator op, String name) throws ConversionException {
        TensorInfo y = ex.model().tensor(op.getOutputs(0));
        ex.result(op, 0, ex.fusedActivation(pool(ex, op, y, name), op.getPool().getActivation(), name), name);
    }

    private static String pool(OnnxExporter ex, Operator op, TensorInfo y, String name) throws ConversionException {
        PoolOptions o = op.getPool();
        TensorInfo x = ex.model().tensor(op.getInputs(0));
        Padding p = o.getPadding();
        int kh = o.getKernelH();
        int kw = o.getKernelW();
        int sh = OnnxExporter.positive(o.getStrideH());
        int sw = OnnxExporter.positive(o.getStrideW());
        // edgeq's output shape is authoritative; pick the ONNX rounding that reproduces it
        boolean floorFits = (x.dim(1) + p.getTop() + p.getBottom() - kh) / sh + 1 == y.dim(1)
                && (x.dim(2) + p.getLeft() + p.getRight() - kw) / sw + 1 == y.dim(2);
        boolean max = op.getType() == dev.edgeq.format.OpType.MAX_POOL_2D;
        String in = ex.floatInput(op, 0);
        long[] pads = {p.getTop(), p.getLeft(), p.getBottom(), p.getRight()};
        boolean padsFit = p.getTop() < kh && p.getBottom() < kh && p.getLeft() < kw && p.getRight() < kw;
        if (!padsFit) {
            // ONNX pools refuse pads >= kernel (edgeq gets them from a Pad fused into the pool): pad
            // explicitly with what the pool would have seen there, then pool without padding
            float fill;
            if (max) {
                fill = -Float.MAX_VALUE;
            } else if (o.getCountIncludePad()) {
                fill = 0f;
            } else {
                throw new ConversionException("export to ONNX: average pool '" + op.getName() + "' has padding "
                        + java.util.Arrays.toString(pads) + " not smaller than its " + kh + "x" + kw
                        + " window without count_include_pad, which ONNX cannot express");
            }
            String padValues = ex.graph().int64s(name + "/pads", new long[] {0, 0, pads[0], pads[1], 0, 0, pads[2], pads[3]}, 8);
            String constant = ex.graph().floats(name + "/pad_value", new float[] {fill});
            in = ex.graph().node("Pad", new String[] {in, padValues, constant}, name + "/pad", OnnxExporter.modeConstant());
            pads = new long[4];
        }
        List<dev.edgeq.onnx.AttributeProto> attrs = new ArrayList<>(List.of(
                ints("kernel_shape", kh, kw), ints("strides", sh, sw), ints("pads", pads),
                integer("ceil_mode", floorFits ? 0 : 1)));
        if (!max) {
            attrs.add(integer("count_include_pad", o.getCountIncludePad() ? 1 : 0));
        }
        return ex.graph().node(max ? "MaxPool" : "AveragePool", new String[] {in}, name,
                attrs.toArray(new dev.edgeq.onnx.AttributeProto[0]));
    }

    @Override
    public Window window(Operator op, Model model) {
        PoolOptions p = op.getPool();
        return new Window(p.getKernelH(), p.getKernelW(), p.getStrideH(), p.getStrideW(), 1, 1, false,
                p.getKernelH() + "x" + p.getKernelW() + "/" + p.getStrideH());
    }
}
