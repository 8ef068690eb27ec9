package dev.edgeq.converter.ops;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.converter.onnx.OnnxConstant;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.Shapes;
import dev.edgeq.converter.onnx.Unsupported;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Padding;
import java.util.List;

/** Helpers the ONNX lowerings share: input forms, output definition, 2-D attributes. */
final class Lowering {
    private Lowering() {}

    /** Input 0 as a 2-D image [1,C,H,W]. */
    static Value spatial(OnnxImporter ctx, OnnxNode n) throws Unsupported {
        Value x = ctx.activation(n, 0);
        if (x.onnxShape().length != 4) {
            throw new Unsupported("input '" + x.name() + "' has shape " + Shapes.str(x.onnxShape())
                    + " (only 2-D images [1,C,H,W])");
        }
        return x;
    }

    /** Input i as a vector [1,N]. */
    static Value vector(OnnxImporter ctx, OnnxNode n, int i) throws Unsupported {
        Value x = ctx.activation(n, i);
        if (x.onnxShape().length != 2) {
            throw new Unsupported("input '" + x.name() + "' has shape " + Shapes.str(x.onnxShape())
                    + " (a dense layer reads [1,N]; add a Flatten)");
        }
        return x;
    }

    /** Defines the node's output 0 with an ONNX shape (and the C x H x W origin of a flattened tensor). */
    static Value out(OnnxImporter ctx, OnnxNode n, int[] onnxShape, int[] chw) {
        Value y = Value.activation(n.output(0), Shapes.nhwc(onnxShape), onnxShape, chw);
        ctx.define(n, 0, y);
        return y;
    }

    /** One activation in, one out of the same shape: an element-wise operator. */
    static void unary(OnnxImporter ctx, OnnxNode n, OpType type, com.google.protobuf.Message options) throws Unsupported {
        Value x = ctx.activation(n, 0);
        Value y = out(ctx, n, x.onnxShape(), x.chwOrigin());
        ctx.emit(new Node(n.name(), type, options, List.of(x), y));
    }

    static int[] twoInts(OnnxNode n, String attr, int dflt) throws Unsupported, ConversionException {
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
    static int[] fourPads(OnnxNode n) throws Unsupported, ConversionException {
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

    static Padding padding(int top, int left, int bottom, int right) {
        return Padding.newBuilder().setTop(top).setLeft(left).setBottom(bottom).setRight(right).build();
    }

    static float scalar(OnnxConstant c, String what) throws Unsupported {
        if (c.size() != 1) {
            throw new Unsupported(what + " has " + c.size() + " values (a scalar is needed)");
        }
        return (float) c.get(0);
    }
}
