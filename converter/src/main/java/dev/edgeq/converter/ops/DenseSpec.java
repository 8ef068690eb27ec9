package dev.edgeq.converter.ops;

import static dev.edgeq.converter.export.OnnxGraphWriter.integer;
import static dev.edgeq.converter.ops.Lowering.out;
import static dev.edgeq.converter.ops.Lowering.vector;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.export.OnnxExporter;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.converter.onnx.OnnxConstant;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.Shapes;
import dev.edgeq.converter.onnx.Unsupported;
import dev.edgeq.format.DataType;
import dev.edgeq.format.FullyConnectedOptions;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.TensorInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** ONNX Gemm / MatMul with constant weights as FULLY_CONNECTED (weights [out][in]). */
final class DenseSpec implements OnnxOpSpec, EdgeqOpSpec {
    static final DenseSpec INSTANCE = new DenseSpec();

    private DenseSpec() {}

    @Override
    public List<String> onnxTypes() {
        return List.of("Gemm", "MatMul");
    }

    @Override
    public List<OpType> edgeqTypes() {
        return List.of(OpType.FULLY_CONNECTED);
    }

    @Override
    public String attributeProblem(OnnxNode n) {
        return n.opType().equals("Gemm") && n.i("transA", 0) != 0 ? "transA=1 (only transA=0)" : null;
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
        if (n.opType().equals("Gemm")) {
            gemm(ctx, n);
        } else {
            matMul(ctx, n);
        }
    }

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

    /** Weights symmetric per output (axis 0 of [out][in]). */
    @Override
    public Int8Rule int8Rule(Operator op, Int8Facts facts) {
        return Int8Rule.affine(0);
    }

    @Override
    public void export(OnnxExporter ex, Operator op, String name) throws ConversionException {
        ex.result(op, 0, ex.fusedActivation(gemmNode(ex, op, name), op.getFullyConnected().getActivation(), name), name);
    }

    private static String gemmNode(OnnxExporter ex, Operator op, String name) throws ConversionException {
        TensorInfo x = ex.model().tensor(op.getInputs(0));
        TensorInfo w = ex.model().tensor(op.getInputs(1));
        String flat = ex.value(x.index());
        if (x.rank() != 2) {
            flat = ex.reshape(flat, x, null, name + "/flatten");
        }
        String in = x.type() == DataType.INT8 ? ex.dequantizeValue(flat, x) : flat;
        int[] identity = new int[w.elementCount()];
        for (int i = 0; i < identity.length; i++) {
            identity[i] = i;
        }
        String weights = ex.weights(w, identity, new long[] {w.dim(0), w.dim(1)}, x);
        List<String> inputs = new ArrayList<>(List.of(in, weights));
        if (op.getInputsCount() > 2 && op.getInputs(2) >= 0) {
            inputs.add(ex.bias(ex.model().tensor(op.getInputs(2)), x, w));
        }
        String result = ex.graph().node("Gemm", inputs.toArray(new String[0]), name, integer("transB", 1));
        TensorInfo y = ex.model().tensor(op.getOutputs(0));
        if (y.rank() != 2) {
            result = ex.graph().node("Reshape", new String[] {result, ex.graph().int64s(name + "/shape", OnnxExporter.onnxShape(y), y.rank())}, name + "/reshape");
        }
        return result;
    }

    @Override
    public Window window(Operator op, Model model) {
        return Window.WHOLE;
    }
}
