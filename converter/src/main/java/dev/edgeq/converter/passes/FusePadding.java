package dev.edgeq.converter.passes;

import dev.edgeq.converter.ir.Graph;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.format.ConvOptions;
import dev.edgeq.format.OpType;
import dev.edgeq.format.PadOptions;
import dev.edgeq.format.Padding;
import dev.edgeq.format.PoolOptions;
import java.util.ArrayList;

/**
 * Fuses a zero PAD into the next conv (its padding grows) or average pool without padding of
 * its own (the pad becomes its padding, counted in the divisor as the explicit zeros were).
 * Max pool is left alone: its padding is never read, while padded zeros would be.
 */
public final class FusePadding implements Pass {
    @Override
    public boolean apply(Graph graph) {
        boolean changed = false;
        for (Node pad : new ArrayList<>(graph.nodes())) {
            if (pad.type() != OpType.PAD || ((PadOptions) pad.options()).getValue() != 0f) {
                continue;
            }
            Value out = pad.output();
            if (!graph.hasSingleConsumer(out)) {
                continue;
            }
            Node next = out.consumers().get(0);
            if (next.dataInput() != out) {
                continue;
            }
            Padding p = ((PadOptions) pad.options()).getPadding();
            if (next.type() == OpType.CONV_2D || next.type() == OpType.DEPTHWISE_CONV_2D) {
                ConvOptions c = (ConvOptions) next.options();
                next.setOptions(c.toBuilder().setPadding(add(c.getPadding(), p)).build());
            } else if (next.type() == OpType.AVERAGE_POOL_2D) {
                PoolOptions o = (PoolOptions) next.options();
                // the fused pad must stay smaller than the window (ONNX's rule for pool padding)
                if (!isZero(o.getPadding()) || Math.max(p.getTop(), p.getBottom()) >= o.getKernelH()
                        || Math.max(p.getLeft(), p.getRight()) >= o.getKernelW()) {
                    continue;
                }
                next.setOptions(o.toBuilder().setPadding(p).setCountIncludePad(true).build());
            } else {
                continue;
            }
            graph.removeAndBypass(pad, pad.dataInput());
            changed = true;
        }
        return changed;
    }

    private static Padding add(Padding a, Padding b) {
        return Padding.newBuilder().setTop(a.getTop() + b.getTop()).setLeft(a.getLeft() + b.getLeft())
                .setBottom(a.getBottom() + b.getBottom()).setRight(a.getRight() + b.getRight()).build();
    }

    private static boolean isZero(Padding p) {
        return p.getTop() == 0 && p.getLeft() == 0 && p.getBottom() == 0 && p.getRight() == 0;
    }
}
