package dev.edgeq.converter.ops;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.onnx.OnnxConstant;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.Unsupported;
import dev.edgeq.onnx.AttributeProto;
import java.util.ArrayList;
import java.util.List;

/** ONNX Constant: a constant for the nodes after it (no edgeq operator). */
final class ConstantSpec implements OnnxOpSpec {
    static final ConstantSpec INSTANCE = new ConstantSpec();

    private ConstantSpec() {}

    @Override
    public List<String> onnxTypes() {
        return List.of("Constant");
    }

    @Override
    public void lower(OnnxImporter ctx, OnnxNode n) throws Unsupported, ConversionException {
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
}
