package dev.edgeq.converter.passes;

import dev.edgeq.converter.ir.Graph;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.format.OpType;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * Removes RESHAPEs that do not change the shape: what Identity and inference Dropout were
 * imported as (and reshapes to the same shape). Consumers read the input instead. A graph
 * output keeps its name: the bypassed tensor takes it over.
 */
public final class RemoveNoOps implements Pass {
    @Override
    public boolean apply(Graph graph) {
        boolean changed = false;
        for (Node node : new ArrayList<>(graph.nodes())) {
            if (node.type() != OpType.RESHAPE) {
                continue;
            }
            Value in = node.dataInput();
            Value out = node.output();
            if (!Arrays.equals(in.shape(), out.shape())) {
                continue;
            }
            boolean inIsBoundary = graph.inputs().contains(in) || graph.isGraphOutput(in);
            if (graph.isGraphOutput(out) && inIsBoundary) {
                continue; // the graph would have no op between its input and output
            }
            if (graph.isGraphOutput(out)) {
                in.rename(out.name());
            }
            graph.removeAndBypass(node, in);
            changed = true;
        }
        return changed;
    }
}
