package dev.edgeq.converter.passes;

import dev.edgeq.converter.ir.Graph;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.format.HardSigmoidOptions;
import dev.edgeq.format.OpType;
import java.util.ArrayList;

/**
 * {@code x * HardSigmoid(x)} (alpha 1/6, beta 1/2: how PyTorch exports HardSwish at opset 13) becomes
 * one HARD_SWISH, and {@code x * Sigmoid(x)} (SiLU / Swish) one SILU: a single table in int8
 * instead of a table, a requantization and a multiplication, and no rounding of the gate. The gate
 * node goes too when nothing else reads it.
 */
public final class FuseSwish implements Pass {
    /** PyTorch writes alpha as the float nearest 1/6; accept that and nothing looser. */
    private static final float SIXTH = 1f / 6f;

    @Override
    public boolean apply(Graph graph) {
        boolean changed = false;
        for (Node mul : new ArrayList<>(graph.nodes())) {
            if (mul.type() != OpType.MUL || mul.inputs().size() != 2 || mul.options() != null && !isDefault(mul)) {
                continue;
            }
            for (int g = 0; g < 2; g++) {
                Value gate = mul.input(g);
                Value x = mul.input(1 - g);
                Node gateNode = gate.producer();
                if (gateNode == null || gateNode.dataInput() != x || x.isConstant()) {
                    continue;
                }
                OpType fused = fusedType(gateNode);
                if (fused == null) {
                    continue;
                }
                graph.replace(mul, new Node(mul.name(), fused, null, java.util.List.of(x), mul.output()));
                graph.removeIfUnused(gateNode);
                changed = true;
                break;
            }
        }
        return changed;
    }

    private static boolean isDefault(Node mul) {
        return mul.options().equals(mul.options().getDefaultInstanceForType());
    }

    private static OpType fusedType(Node gate) {
        if (gate.type() == OpType.SIGMOID) {
            return OpType.SILU;
        }
        if (gate.type() == OpType.HARD_SIGMOID) {
            HardSigmoidOptions o = (HardSigmoidOptions) gate.options();
            return o.getAlpha() == SIXTH && o.getBeta() == 0.5f ? OpType.HARD_SWISH : null;
        }
        return null;
    }
}
