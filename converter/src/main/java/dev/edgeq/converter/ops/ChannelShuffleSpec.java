package dev.edgeq.converter.ops;

import static dev.edgeq.converter.export.OnnxGraphWriter.integer;
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
import dev.edgeq.format.PermuteChannelsOptions;
import java.util.Arrays;
import java.util.List;

/**
 * ShuffleNet's channel shuffle, {@code Reshape [1,C,H,W] -> [1,g,C/g,H,W]}, {@code Transpose
 * [0,2,1,3,4]}, {@code Reshape -> [1,C,H,W]}, as one PERMUTE_CHANNELS (output channel {@code k * g
 * + j} reads input channel {@code j * C/g + k}). The two 5-D tensors are never computed: the
 * importer keeps them as {@link View}s, and any other use of them is reported unsupported. This
 * spec lowers ONNX Transpose (the 5-D step, or a constant transposed at conversion time);
 * {@link ReshapeSpec} hands the two Reshapes here.
 */
final class ChannelShuffleSpec implements OnnxOpSpec, EdgeqOpSpec {
    static final ChannelShuffleSpec INSTANCE = new ChannelShuffleSpec();

    private ChannelShuffleSpec() {}

    /** A 5-D view of {@code source} ([1,C,H,W]) as [1,g,C/g,H,W], or after the transpose as [1,C/g,g,H,W]. */
    record View(Value source, int groups, boolean transposed) {
        @Override
        public String toString() {
            int c = source.onnxShape()[1];
            return "a 5-D view [1," + (transposed ? c / groups + "," + groups : groups + "," + c / groups) + ",H,W] of '"
                    + source.name() + "'";
        }
    }

    @Override
    public List<String> onnxTypes() {
        return List.of("Transpose");
    }

    @Override
    public List<OpType> edgeqTypes() {
        return List.of(OpType.PERMUTE_CHANNELS);
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        if (ctx.isConstant(n.input(0))) {
            ctx.defineConstant(n.output(0), transposed(ctx.constant(n, 0, "input"), n.ints("perm"), n.output(0)));
            return;
        }
        Object v = ctx.view(n, 0);
        int[] perm = n.ints("perm");
        if (!(v instanceof View view) || view.transposed() || perm == null || !Arrays.equals(perm, new int[] {0, 2, 1, 3, 4})) {
            ctx.activation(n, 0); // reports a view used otherwise
            throw new Unsupported("perm=" + (perm == null ? "reversed" : Shapes.str(perm))
                    + " (edgeq keeps NHWC; only the transpose of a channel shuffle, [0,2,1,3,4] after a Reshape to [1,g,C/g,H,W])");
        }
        ctx.defineView(n, 0, new View(view.source(), view.groups(), true));
    }

    /** A constant transposed at conversion time (older exporters write Linear's weight as Transpose(W)). */
    private static OnnxConstant transposed(OnnxConstant c, int[] perm, String name) {
        int[] dims = c.dims();
        int rank = dims.length;
        if (perm == null) {
            perm = new int[rank];
            for (int d = 0; d < rank; d++) {
                perm[d] = rank - 1 - d;
            }
        }
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            out[d] = dims[perm[d]];
        }
        int[] inStride = new int[rank];
        for (int d = rank - 1, s = 1; d >= 0; s *= dims[d], d--) {
            inStride[d] = s;
        }
        double[] values = new double[c.size()];
        int[] index = new int[rank];
        for (int i = 0; i < values.length; i++) {
            int src = 0;
            for (int d = 0; d < rank; d++) {
                src += index[d] * inStride[perm[d]];
            }
            values[i] = c.get(src);
            for (int d = rank - 1; d >= 0 && ++index[d] == out[d]; d--) {
                index[d] = 0;
            }
        }
        return new OnnxConstant(name, out, values);
    }

    /** Reshape of {@code x} to rank 5: the first step of a channel shuffle. */
    static void reshapeToGroups(OnnxImporter ctx, OnnxNode n, Value x, int[] ys) throws Unsupported {
        int[] xs = x.onnxShape();
        boolean grouping = xs.length == 4 && x.chwOrigin() == null && ys[0] == 1 && ys[1] * ys[2] == xs[1]
                && ys[3] == xs[2] && ys[4] == xs[3];
        if (!grouping) {
            throw new Unsupported("from " + Shapes.str(xs) + " to " + Shapes.str(ys)
                    + " (rank 5 only as [1,g,C/g,H,W], the first step of a channel shuffle)");
        }
        ctx.defineView(n, 0, new View(x, ys[1], false));
    }

    /** Reshape of a view back to [1,C,H,W]: emits the permutation, or throws when the view was not transposed. */
    static void reshapeFromView(OnnxImporter ctx, OnnxNode n, View view, int[] ys) throws Unsupported {
        int[] xs = view.source().onnxShape();
        if (!view.transposed() || !Arrays.equals(xs, ys)) {
            throw new Unsupported("reshapes " + view + " to " + Shapes.str(ys)
                    + " (only back to " + Shapes.str(xs) + " after the transpose of a channel shuffle)");
        }
        int c = xs[1];
        int g = view.groups();
        int perGroup = c / g;
        PermuteChannelsOptions.Builder perm = PermuteChannelsOptions.newBuilder();
        for (int k = 0; k < perGroup; k++) {
            for (int j = 0; j < g; j++) {
                perm.addPermutation(j * perGroup + k);
            }
        }
        Value y = out(ctx, n, ys, null);
        ctx.emit(new Node(n.name(), OpType.PERMUTE_CHANNELS, perm.build(), List.of(view.source()), y));
    }

    /** No arithmetic: stays in whichever form its input is produced in, keeping its quantization. */
    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) {
        return Int8Rule.movesValues(op, facts);
    }

    /** ONNX Gather of the channels (axis 1 in NCHW) on the values as they are (int8 stays int8). */
    @Override
    public void export(OnnxExporter ex, Operator op, String name) {
        List<Integer> p = op.getPermuteChannels().getPermutationList();
        long[] indices = p.stream().mapToLong(Integer::longValue).toArray();
        String idx = ex.graph().int64s(name + "/indices", indices, indices.length);
        ex.resultAsIs(op, 0, ex.graph().node("Gather", new String[] {ex.value(op.getInputs(0)), idx}, name, integer("axis", 1)));
    }
}
