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
import dev.edgeq.runtime.TensorInfo;
import java.util.Arrays;
import java.util.List;

/**
 * ONNX Flatten, Reshape, Squeeze, Unsqueeze, Dropout (inference) and Identity as RESHAPE: no data
 * movement in NHWC order (the no-op ones are removed by RemoveNoOps). Identity of a constant
 * aliases the constant. A Reshape to or from rank 5 is a channel shuffle's ({@link ChannelShuffleSpec}).
 */
final class ReshapeSpec implements OnnxOpSpec, EdgeqOpSpec {
    static final ReshapeSpec INSTANCE = new ReshapeSpec();

    private ReshapeSpec() {}

    @Override
    public List<String> onnxTypes() {
        return List.of("Flatten", "Reshape", "Dropout", "Identity"); // Squeeze, Unsqueeze: via ShapeFoldingSpec
    }

    @Override
    public List<OpType> edgeqTypes() {
        return List.of(OpType.RESHAPE);
    }

    @Override
    public String attributeProblem(OnnxNode n) {
        return n.opType().equals("Dropout") && !n.output(1).isEmpty() ? "has a mask output (not supported)" : null;
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        switch (n.opType()) {
            case "Flatten" -> flatten(ctx, n);
            case "Reshape" -> reshape(ctx, n);
            case "Squeeze", "Unsqueeze" -> squeeze(ctx, n);
            case "Dropout" -> dropout(ctx, n);
            default -> {
                if (ctx.isConstant(n.input(0))) {
                    // exporters alias shared weights through Identity: the output is the same constant
                    ctx.defineConstant(n.output(0), ctx.constant(n, 0, "input").renamed(n.output(0)));
                } else {
                    identity(ctx, n, ctx.activation(n, 0));
                }
            }
        }
    }

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

    /** Squeeze (axes, or every 1) and Unsqueeze (axes): an attribute up to opset 12, an input from 13. */
    private static void squeeze(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        Value x = ctx.activation(n, 0);
        int[] xs = x.onnxShape();
        boolean unsqueeze = n.opType().equals("Unsqueeze");
        int[] axes = n.ints("axes");
        if (axes == null && n.hasInput(1)) {
            axes = Arrays.stream(ctx.constant(n, 1, "axes").toLongs()).mapToInt(v -> (int) v).toArray();
        }
        int rank = unsqueeze ? xs.length + (axes == null ? 0 : axes.length) : xs.length;
        boolean[] marked = new boolean[rank];
        if (axes == null) {
            if (unsqueeze) {
                throw ctx.shapeError(n, "Unsqueeze without axes");
            }
            for (int d = 0; d < xs.length; d++) {
                marked[d] = xs[d] == 1;
            }
        } else {
            for (int a : axes) {
                int d = a < 0 ? a + rank : a;
                if (d < 0 || d >= rank || marked[d] || !unsqueeze && xs[d] != 1) {
                    throw ctx.shapeError(n, n.opType() + " axes " + Shapes.str(axes) + " on " + Shapes.str(xs));
                }
                marked[d] = true;
            }
        }
        int[] ys = new int[unsqueeze ? rank : rank - (int) java.util.stream.IntStream.range(0, rank).filter(d -> marked[d]).count()];
        for (int d = 0, src = 0, dst = 0; d < rank; d++) {
            if (unsqueeze) {
                ys[d] = marked[d] ? 1 : xs[src++];
            } else if (!marked[d]) {
                ys[dst++] = xs[d];
            }
        }
        reshapeTo(ctx, n, x, ys);
    }

    private static void reshape(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        ChannelShuffleSpec.View view = ctx.view(n, 0) instanceof ChannelShuffleSpec.View v ? v : null;
        Value x = view == null ? ctx.activation(n, 0) : null;
        int[] xs = view == null ? x.onnxShape() : viewShape(view);
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
        if (view != null) {
            ChannelShuffleSpec.reshapeFromView(ctx, n, view, ys);
        } else if (ys.length == 5) {
            ChannelShuffleSpec.reshapeToGroups(ctx, n, x, ys);
        } else {
            reshapeTo(ctx, n, x, ys);
        }
    }

    private static int[] viewShape(ChannelShuffleSpec.View v) {
        int[] s = v.source().onnxShape();
        int g = v.groups();
        return v.transposed() ? new int[] {1, s[1] / g, g, s[2], s[3]} : new int[] {1, g, s[1] / g, s[2], s[3]};
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

    /** No arithmetic: stays in whichever form its input is produced in, keeping its quantization. */
    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) {
        return Int8Rule.movesValues(op, facts);
    }

    /** No arithmetic: int8 values are reshaped as int8, nothing to requantize. */
    @Override
    public void export(OnnxExporter ex, Operator op, String name) {
        TensorInfo x = ex.model().tensor(op.getInputs(0));
        TensorInfo y = ex.model().tensor(op.getOutputs(0));
        ex.resultAsIs(op, 0, ex.reshape(ex.value(x.index()), x, y, name));
    }
}
