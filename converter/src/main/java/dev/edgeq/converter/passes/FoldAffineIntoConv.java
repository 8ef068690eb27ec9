package dev.edgeq.converter.passes;

import dev.edgeq.converter.ir.Graph;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.format.ConvOptions;
import dev.edgeq.format.FullyConnectedOptions;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Padding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Folds a per-channel MUL and/or ADD by constants into the conv / dense layer before it:
 * BatchNormalization (imported as MUL + ADD) into Conv, and MatMul + Add into a dense layer
 * with bias. w'[o] = w[o] * s[o], b'[o] = b[o] * s[o] + t[o]. Only when the layer's output
 * feeds nothing else and no activation is fused yet. What cannot fold backwards may fold into the
 * convolution after it ({@link FoldAffineIntoNextConv}); what is left becomes a 1x1 depthwise conv.
 */
public final class FoldAffineIntoConv implements Pass {
    /**
     * The folds in order of preference: into the layer before (always exact), into the conv after
     * (input normalization), and, for what neither takes, a depthwise conv of its own.
     */
    private static final List<BiPredicate<Graph, Node>> FOLDS = List.of(FoldAffineIntoConv::fold,
            FoldAffineIntoNextConv::fold, FoldAffineIntoConv::asDepthwise);

    @Override
    public boolean apply(Graph graph) {
        boolean any = false;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (BiPredicate<Graph, Node> fold : FOLDS) {
                for (Node node : new ArrayList<>(graph.nodes())) {
                    if ((node.type() == OpType.MUL || node.type() == OpType.ADD) && fold.test(graph, node)) {
                        changed = true;
                        break;
                    }
                }
                if (changed) {
                    any = true;
                    break;
                }
            }
        }
        return any;
    }

    /**
     * A per-channel MUL or ADD by a constant on an image that no layer before it can take (DenseNet's
     * pre-activation BatchNorm after a Concat) becomes a 1x1 DEPTHWISE_CONV_2D (weight s, bias t), which
     * has int8 kernels and takes a following ADD and activation; left as MUL/ADD it would be a float
     * island in the int8 model.
     */
    private static boolean asDepthwise(Graph graph, Node affine) {
        Value x = affine.input(0);
        Value k = affine.input(1);
        if (k == null || !k.isConstant() || x.isConstant() || x.rank() != 4 || hasActivation(affine)) {
            return false;
        }
        int channels = x.dim(3);
        float[] kv = k.data();
        if (kv.length != channels) {
            return false;
        }
        boolean mul = affine.type() == OpType.MUL;
        float[] w = new float[channels];
        float[] bias = new float[channels];
        for (int c = 0; c < channels; c++) {
            w[c] = mul ? kv[c] : 1f;
            bias[c] = mul ? 0f : kv[c];
        }
        ConvOptions options = ConvOptions.newBuilder().setStrideH(1).setStrideW(1).setDilationH(1).setDilationW(1)
                .setDepthMultiplier(1).setPadding(Padding.newBuilder().build()).build();
        graph.replace(affine, new Node(affine.name(), OpType.DEPTHWISE_CONV_2D, options,
                Arrays.asList(x, Value.constant(affine.name() + ".weight", new int[] {1, 1, 1, channels}, w),
                        Value.constant(affine.name() + ".bias", new int[] {channels}, bias)), affine.output()));
        return true;
    }

    private static boolean fold(Graph graph, Node affine) {
        Value x = affine.input(0);
        Value k = affine.input(1);
        Node layer = x.producer();
        if (k == null || !k.isConstant() || x.isConstant() || layer == null || !graph.hasSingleConsumer(x)) {
            return false;
        }
        OpType t = layer.type();
        if (t != OpType.CONV_2D && t != OpType.DEPTHWISE_CONV_2D && t != OpType.FULLY_CONNECTED) {
            return false;
        }
        if (hasActivation(layer)) {
            return false;
        }
        Value w = layer.input(1);
        Value b = layer.input(2);
        int outChannels = t == OpType.DEPTHWISE_CONV_2D ? w.dim(3) : w.dim(0);
        float[] kv = k.data();
        if (kv.length != outChannels) {
            return false;
        }
        float[] bias = b == null ? new float[outChannels] : b.data().clone();
        if (affine.type() == OpType.MUL) {
            float[] wd = w.data().clone();
            int per = wd.length / outChannels;
            for (int i = 0; i < wd.length; i++) {
                int o = t == OpType.DEPTHWISE_CONV_2D ? i % outChannels : i / per;
                wd[i] *= kv[o];
            }
            for (int o = 0; o < outChannels; o++) {
                bias[o] *= kv[o];
            }
            graph.setInput(layer, 1, Value.constant(w.name(), w.shape(), wd));
            if (b == null) {
                // no bias: a MUL leaves it zero, so keep it absent
                graph.absorb(layer, affine);
                return true;
            }
        } else {
            for (int o = 0; o < outChannels; o++) {
                bias[o] += kv[o];
            }
        }
        String biasName = b != null ? b.name() : layer.name() + ".bias";
        graph.setInput(layer, 2, Value.constant(biasName, new int[] {outChannels}, bias));
        graph.absorb(layer, affine);
        return true;
    }

    static boolean hasActivation(Node layer) {
        if (layer.options() instanceof ConvOptions c) {
            return c.hasActivation();
        }
        if (layer.options() instanceof FullyConnectedOptions f) {
            return f.hasActivation();
        }
        return false;
    }
}
