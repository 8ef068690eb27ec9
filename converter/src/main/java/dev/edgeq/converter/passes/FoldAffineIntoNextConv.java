package dev.edgeq.converter.passes;

import dev.edgeq.converter.ir.Graph;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.format.ConvOptions;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Padding;

/**
 * Folds a per-channel MUL or ADD by constants on a convolution's input into that convolution: the
 * input normalization {@code (x - mean) / std} that exports put in front of the first layer (Sub
 * and Div arrive as ADD and MUL).
 * <ul>
 *   <li>Scale, {@code conv(W, x * s) = conv(W * s[in], x)}: exact always, since a padded zero
 *       stays zero when scaled.</li>
 *   <li>Shift, {@code conv(W, x + t) = conv(W, x) + sum(W * t[in])} into the bias: exact only for
 *       a convolution without padding. With padding the model pads {@code x + t} with zeros, i.e.
 *       {@code x} with {@code -t} (for normalization: the mean pixel, not black), and a folded
 *       convolution would pad {@code x} with zeros instead, changing every border output. PAD
 *       takes one value for all channels, so a per-channel pad value cannot be expressed either;
 *       the shift then stays in front of the convolution (as a 1x1 depthwise convolution, see
 *       {@link FoldAffineIntoConv}). Normalization the model's sidecar declares needs none of this:
 *       the int8 input quantization absorbs it exactly.</li>
 * </ul>
 * Only when the convolution is the MUL / ADD's one consumer and reads it as its data input.
 */
final class FoldAffineIntoNextConv {
    private FoldAffineIntoNextConv() {}

    static boolean fold(Graph graph, Node affine) {
        Value x = affine.input(0);
        Value k = affine.input(1);
        Value y = affine.output();
        if (k == null || !k.isConstant() || x.isConstant() || x.rank() != 4 || affine.options() != null
                || !graph.hasSingleConsumer(y)) {
            return false;
        }
        Node conv = y.consumers().get(0);
        if ((conv.type() != OpType.CONV_2D && conv.type() != OpType.DEPTHWISE_CONV_2D) || conv.input(0) != y
                || conv.inputs().indexOf(y) != conv.inputs().lastIndexOf(y)) {
            return false;
        }
        float[] kv = k.data();
        if (kv.length != x.dim(3)) {
            return false;
        }
        ConvOptions options = (ConvOptions) conv.options();
        boolean mul = affine.type() == OpType.MUL;
        if (!mul && !unpadded(options.getPadding())) {
            return false;
        }
        Value w = conv.input(1);
        Value b = conv.input(2);
        InputChannels channels = InputChannels.of(conv.type(), options, w.shape());
        float[] wd = w.data();
        if (mul) {
            float[] scaled = wd.clone();
            for (int i = 0; i < scaled.length; i++) {
                scaled[i] *= kv[channels.of(i)];
            }
            graph.setInput(conv, 1, Value.constant(w.name(), w.shape(), scaled));
        } else {
            float[] bias = b == null ? new float[channels.outputs()] : b.data().clone();
            double[] sums = new double[bias.length];
            for (int i = 0; i < wd.length; i++) {
                sums[channels.output(i)] += (double) wd[i] * kv[channels.of(i)];
            }
            for (int o = 0; o < bias.length; o++) {
                bias[o] = (float) (bias[o] + sums[o]);
            }
            graph.setInput(conv, 2, Value.constant(b != null ? b.name() : conv.name() + ".bias",
                    new int[] {bias.length}, bias));
        }
        graph.setInput(conv, 0, x);
        graph.removeIfUnused(affine);
        return true;
    }

    private static boolean unpadded(Padding p) {
        return p.getTop() == 0 && p.getLeft() == 0 && p.getBottom() == 0 && p.getRight() == 0;
    }

    /**
     * Which input and output channel each weight element belongs to: CONV_2D weights are
     * [O][H][W][C_in / groups] (output o reads the input channels of group o / (O / groups)),
     * DEPTHWISE_CONV_2D weights [1][H][W][C_in * multiplier] (output o reads input o / multiplier).
     */
    private record InputChannels(boolean depthwise, int outputs, int last, int outputsPerGroup, int multiplier,
            int perOutput) {
        static InputChannels of(OpType type, ConvOptions o, int[] weights) {
            int last = weights[3];
            if (type == OpType.DEPTHWISE_CONV_2D) {
                return new InputChannels(true, last, last, 1, Math.max(1, o.getDepthMultiplier()), 1);
            }
            return new InputChannels(false, weights[0], last, weights[0] / Math.max(1, o.getGroups()), 1,
                    weights[1] * weights[2] * last);
        }

        /** The input channel weight element {@code i} multiplies. */
        int of(int i) {
            return depthwise ? (i % last) / multiplier : (output(i) / outputsPerGroup) * last + i % last;
        }

        /** The output channel weight element {@code i} contributes to. */
        int output(int i) {
            return depthwise ? i % last : i / perOutput;
        }
    }
}
