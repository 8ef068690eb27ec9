package dev.edgeq.converter.ops;

import static dev.edgeq.converter.ops.Lowering.out;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.export.OnnxExporter;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.converter.onnx.OnnxConstant;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.Shapes;
import dev.edgeq.converter.onnx.Unsupported;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.format.SliceOptions;
import dev.edgeq.format.SplitOptions;
import java.util.List;

/**
 * ONNX Split (as one SPLIT with an output per part) and Slice (as SLICE) along the channel axis
 * (axis 1 of [1,C,H,W] or [1,N], step 1). Values move unchanged, so int8 keeps the input's
 * quantization.
 */
final class ChannelSliceSpec implements OnnxOpSpec, EdgeqOpSpec {
    static final ChannelSliceSpec INSTANCE = new ChannelSliceSpec();

    private ChannelSliceSpec() {}

    @Override
    public List<String> onnxTypes() {
        return List.of("Split", "Slice");
    }

    @Override
    public List<OpType> edgeqTypes() {
        return List.of(OpType.SLICE, OpType.SPLIT);
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        Value x = ctx.activation(n, 0);
        int[] xs = x.onnxShape();
        if (x.chwOrigin() != null) {
            throw new Unsupported("slices a flattened C x H x W tensor");
        }
        if (n.opType().equals("Split")) {
            split(ctx, n, x, xs);
        } else {
            slice(ctx, n, x, xs);
        }
    }

    private static void split(OnnxImporter ctx, OnnxNode n, Value x, int[] xs) throws Unsupported, ConversionException {
        requireChannelAxis(n.i("axis", 0), xs);
        int outputs = n.outputs().size();
        int[] sizes = n.ints("split");
        if (sizes == null && n.hasInput(1)) {
            sizes = java.util.Arrays.stream(ctx.constant(n, 1, "split").toLongs()).mapToInt(v -> (int) v).toArray();
        }
        if (sizes == null) {
            if (xs[1] % outputs != 0) {
                throw new Unsupported("splits " + xs[1] + " channels into " + outputs + " unequal parts without sizes");
            }
            sizes = new int[outputs];
            java.util.Arrays.fill(sizes, xs[1] / outputs);
        }
        if (sizes.length != outputs || java.util.Arrays.stream(sizes).sum() != xs[1]) {
            throw ctx.shapeError(n, "split " + Shapes.str(sizes) + " of " + xs[1] + " channels into " + outputs + " outputs");
        }
        List<Value> ys = new java.util.ArrayList<>();
        SplitOptions.Builder options = SplitOptions.newBuilder();
        for (int k = 0; k < outputs; k++) {
            ys.add(defineOutput(ctx, n, k, xs, sizes[k]));
            options.addSizes(sizes[k]);
        }
        ctx.emit(new Node(n.name(), OpType.SPLIT, options.build(), List.of(x), ys));
    }

    private static void slice(OnnxImporter ctx, OnnxNode n, Value x, int[] xs) throws Unsupported, ConversionException {
        long[] starts = ctx.constant(n, 1, "starts").toLongs();
        long[] ends = ctx.constant(n, 2, "ends").toLongs();
        OnnxConstant axesC = ctx.constantOrNull(n, 3, "axes");
        OnnxConstant stepsC = ctx.constantOrNull(n, 4, "steps");
        long[] axes = axesC == null ? null : axesC.toLongs();
        if (starts.length != 1 || ends.length != 1 || axes == null || axes.length != 1) {
            throw new Unsupported("slices " + starts.length + " axes (only one: the channel axis, given by axes)");
        }
        requireChannelAxis(axes[0], xs);
        if (stepsC != null && (stepsC.size() != 1 || stepsC.toLongs()[0] != 1)) {
            throw new Unsupported("has steps other than 1");
        }
        int c = xs[1];
        long begin = clampIndex(starts[0], c);
        long end = clampIndex(ends[0], c);
        if (end <= begin) {
            throw new Unsupported("selects no channel (start " + starts[0] + ", end " + ends[0] + " of " + c + ")");
        }
        emitSlice(ctx, n, 0, x, xs, (int) begin, (int) (end - begin));
    }

    /** ONNX Slice index semantics: negative counts from the end, then clamped to [0, c]. */
    private static long clampIndex(long i, int c) {
        if (i < 0) {
            i += c;
        }
        return Math.max(0, Math.min(c, i));
    }

    private static void requireChannelAxis(long axis, int[] xs) throws Unsupported {
        long a = axis < 0 ? axis + xs.length : axis;
        if (a != 1) {
            throw new Unsupported("axis=" + axis + " on " + Shapes.str(xs) + " (only the channel axis 1)");
        }
    }

    private static void emitSlice(OnnxImporter ctx, OnnxNode n, int k, Value x, int[] xs, int begin, int size) {
        Value y = defineOutput(ctx, n, k, xs, size);
        ctx.emit(new Node(n.name(), OpType.SLICE, SliceOptions.newBuilder().setBegin(begin).setSize(size).build(), List.of(x), y));
    }

    /** Output k of the node: the input's shape with {@code size} channels. */
    private static Value defineOutput(OnnxImporter ctx, OnnxNode n, int k, int[] xs, int size) {
        int[] ys = xs.clone();
        ys[1] = size;
        Value y = Value.activation(n.output(k), Shapes.nhwc(ys), ys, null);
        ctx.define(n, k, y);
        return y;
    }

    /** No arithmetic: stays in whichever form its input is produced in, keeping its quantization. */
    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) {
        return Int8Rule.movesValues(op, facts);
    }

    /** One ONNX Slice per output on the channel axis (1 in NCHW), on the values as they are (int8 stays int8). */
    @Override
    public void export(OnnxExporter ex, Operator op, String name) {
        String x = ex.value(op.getInputs(0));
        if (op.getType() == OpType.SLICE) {
            ex.resultAsIs(op, 0, slice(ex, x, op.getSlice().getBegin(), op.getSlice().getSize(), name));
            return;
        }
        SplitOptions s = op.getSplit();
        int begin = 0;
        for (int k = 0; k < s.getSizesCount(); k++) {
            ex.resultAsIs(op, k, slice(ex, x, begin, s.getSizes(k), name + "/" + k));
            begin += s.getSizes(k);
        }
    }

    private static String slice(OnnxExporter ex, String x, int begin, int size, String name) {
        return ex.graph().node("Slice", new String[] {x, ex.graph().int64s(name + "/starts", new long[] {begin}, 1),
                ex.graph().int64s(name + "/ends", new long[] {begin + size}, 1),
                ex.graph().int64s(name + "/axes", new long[] {1}, 1)}, name);
    }
}
