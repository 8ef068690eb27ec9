package dev.edgeq.converter.passes;

import dev.edgeq.converter.ir.Graph;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.format.Activation;
import dev.edgeq.format.AddOptions;
import dev.edgeq.format.ClipOptions;
import dev.edgeq.format.ConvOptions;
import dev.edgeq.format.FullyConnectedOptions;
import dev.edgeq.format.FusedActivation;
import dev.edgeq.format.OpType;
import dev.edgeq.format.PoolOptions;
import java.util.ArrayList;

/**
 * Fuses a RELU or CLIP into the conv, dense, pool or add before it (Clip 0..6 becomes RELU6,
 * Clip 0..inf RELU), when that op's output feeds nothing else.
 */
public final class FuseActivation implements Pass {
    @Override
    public boolean apply(Graph graph) {
        boolean changed = false;
        for (Node act : new ArrayList<>(graph.nodes())) {
            if (act.type() != OpType.RELU && act.type() != OpType.CLIP) {
                continue;
            }
            Value x = act.dataInput();
            Node prev = x.producer();
            if (prev == null || !graph.hasSingleConsumer(x)) {
                continue;
            }
            FusedActivation fused = fusedOf(act);
            com.google.protobuf.Message opt = withActivation(prev, fused);
            if (opt == null) {
                continue;
            }
            prev.setOptions(opt);
            graph.absorb(prev, act);
            changed = true;
        }
        return changed;
    }

    static FusedActivation fusedOf(Node act) {
        if (act.type() == OpType.RELU) {
            return FusedActivation.newBuilder().setType(Activation.ACTIVATION_RELU).build();
        }
        ClipOptions c = (ClipOptions) act.options();
        if (c.getMin() == 0f && c.getMax() == 6f) {
            return FusedActivation.newBuilder().setType(Activation.ACTIVATION_RELU6).build();
        }
        if (c.getMin() == 0f && c.getMax() == Float.POSITIVE_INFINITY) {
            return FusedActivation.newBuilder().setType(Activation.ACTIVATION_RELU).build();
        }
        return FusedActivation.newBuilder().setType(Activation.ACTIVATION_CLIP)
                .setMin(c.getMin()).setMax(c.getMax()).build();
    }

    /** The producer's options with the activation set, or null when it cannot take one. */
    private static com.google.protobuf.Message withActivation(Node prev, FusedActivation a) {
        switch (prev.type()) {
            case CONV_2D, DEPTHWISE_CONV_2D -> {
                ConvOptions o = (ConvOptions) prev.options();
                return o.hasActivation() ? null : o.toBuilder().setActivation(a).build();
            }
            case FULLY_CONNECTED -> {
                FullyConnectedOptions o = (FullyConnectedOptions) prev.options();
                return o.hasActivation() ? null : o.toBuilder().setActivation(a).build();
            }
            case MAX_POOL_2D, AVERAGE_POOL_2D -> {
                PoolOptions o = (PoolOptions) prev.options();
                return o.hasActivation() ? null : o.toBuilder().setActivation(a).build();
            }
            case ADD -> {
                AddOptions o = prev.options() == null ? AddOptions.getDefaultInstance() : (AddOptions) prev.options();
                return o.hasActivation() ? null : o.toBuilder().setActivation(a).build();
            }
            default -> {
                return null;
            }
        }
    }
}
