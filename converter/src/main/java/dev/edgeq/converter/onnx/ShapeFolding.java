package dev.edgeq.converter.onnx;

import dev.edgeq.converter.ConversionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shape arithmetic evaluated at conversion time. PyTorch exports {@code x.view(x.size(0), -1)} as
 * Shape -> Gather -> Unsqueeze -> Concat -> Reshape; with static shapes (batch 1) every value of
 * that chain is a constant, so these nodes become constants and the Reshape gets a constant
 * shape. The same ops on run-time data are unsupported.
 */
public final class ShapeFolding {
    private ShapeFolding() {
    }

    public static void fold(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        OnnxConstant result = switch (n.opType()) {
            case "Shape" -> shape(ctx, n);
            case "Gather" -> gather(ctx, n);
            case "Unsqueeze", "Squeeze" -> squeeze(ctx, n, n.opType().equals("Unsqueeze"));
            case "Concat" -> concat(ctx, n);
            case "Cast" -> {
                OnnxConstant c = constantInput(ctx, n, 0);
                yield new OnnxConstant(n.output(0), c.dims(), values(c));
            }
            default -> throw new Unsupported("op type not supported");
        };
        ctx.defineConstant(n.output(0), result.renamed(n.output(0)));
    }

    private static OnnxConstant constantInput(OnnxImporter ctx, OnnxNode n, int i) throws Unsupported {
        if (!ctx.isConstant(n.input(i))) {
            throw new Unsupported("works on run-time data '" + n.input(i) + "' (edgeq folds it only on shapes and constants)");
        }
        return ctx.constant(n, i, "input");
    }

    private static OnnxConstant shape(OnnxImporter ctx, OnnxNode n) throws Unsupported {
        int[] s = ctx.activationShape(n.input(0));
        if (s == null) {
            OnnxConstant c = ctx.constant(n, 0, "input");
            s = c.dims();
        }
        int rank = s.length;
        int start = (int) n.i("start", 0);
        int end = (int) n.i("end", rank);
        start = Math.max(0, Math.min(rank, start < 0 ? start + rank : start));
        end = Math.max(start, Math.min(rank, end < 0 ? end + rank : end));
        double[] v = new double[end - start];
        for (int i = start; i < end; i++) {
            v[i - start] = s[i];
        }
        return new OnnxConstant(n.output(0), new int[] {v.length}, v);
    }

    private static OnnxConstant gather(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        OnnxConstant data = constantInput(ctx, n, 0);
        OnnxConstant idx = constantInput(ctx, n, 1);
        int[] d = data.dims();
        int axis = (int) n.i("axis", 0);
        if (axis < 0) {
            axis += d.length;
        }
        if (d.length == 0 || axis < 0 || axis >= d.length) {
            throw ctx.shapeError(n, "axis " + n.i("axis", 0) + " for data of shape " + Shapes.str(d));
        }
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) {
            outer *= d[i];
        }
        for (int i = axis + 1; i < d.length; i++) {
            inner *= d[i];
        }
        int k = idx.size();
        double[] v = new double[outer * k * inner];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < k; j++) {
                int ix = (int) idx.get(j);
                if (ix < 0) {
                    ix += d[axis];
                }
                if (ix < 0 || ix >= d[axis]) {
                    throw ctx.shapeError(n, "index " + (long) idx.get(j) + " outside [0," + d[axis] + ")");
                }
                for (int i = 0; i < inner; i++) {
                    v[(o * k + j) * inner + i] = data.get((o * d[axis] + ix) * inner + i);
                }
            }
        }
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < axis; i++) {
            dims.add(d[i]);
        }
        for (int x : idx.dims()) {
            dims.add(x);
        }
        for (int i = axis + 1; i < d.length; i++) {
            dims.add(d[i]);
        }
        return new OnnxConstant(n.output(0), dims.stream().mapToInt(Integer::intValue).toArray(), v);
    }

    private static OnnxConstant squeeze(OnnxImporter ctx, OnnxNode n, boolean unsqueeze) throws Unsupported, ConversionException {
        OnnxConstant c = constantInput(ctx, n, 0);
        int[] axes = n.ints("axes");
        if (axes == null && n.hasInput(1)) {
            axes = Arrays.stream(ctx.constant(n, 1, "axes").toLongs()).mapToInt(l -> (int) l).toArray();
        }
        List<Integer> dims = new ArrayList<>();
        for (int x : c.dims()) {
            dims.add(x);
        }
        if (unsqueeze) {
            if (axes == null) {
                throw new Unsupported("has no axes");
            }
            int outRank = dims.size() + axes.length;
            int[] sorted = Arrays.stream(axes).map(a -> a < 0 ? a + outRank : a).sorted().toArray();
            for (int a : sorted) {
                if (a < 0 || a > dims.size()) {
                    throw ctx.shapeError(n, "axes " + Shapes.str(axes) + " for rank " + c.rank());
                }
                dims.add(a, 1);
            }
        } else {
            int rank = dims.size();
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < rank; i++) {
                final int axis = i;
                boolean listed = axes == null ? dims.get(i) == 1
                        : Arrays.stream(axes).anyMatch(a -> (a < 0 ? a + rank : a) == axis);
                if (!listed) {
                    out.add(dims.get(i));
                }
            }
            dims = out;
        }
        return new OnnxConstant(n.output(0), dims.stream().mapToInt(Integer::intValue).toArray(), values(c));
    }

    private static OnnxConstant concat(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        List<OnnxConstant> parts = new ArrayList<>();
        for (int i = 0; i < n.inputCount(); i++) {
            if (n.hasInput(i)) {
                parts.add(constantInput(ctx, n, i));
            }
        }
        int total = 0;
        for (OnnxConstant p : parts) {
            if (p.rank() != 1) {
                throw new Unsupported("concatenates constants of rank " + p.rank() + " (only 1-D shape vectors)");
            }
            total += p.size();
        }
        double[] v = new double[total];
        int k = 0;
        for (OnnxConstant p : parts) {
            for (int i = 0; i < p.size(); i++) {
                v[k++] = p.get(i);
            }
        }
        return new OnnxConstant(n.output(0), new int[] {total}, v);
    }

    private static double[] values(OnnxConstant c) {
        double[] v = new double[c.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = c.get(i);
        }
        return v;
    }
}
