package dev.edgeq.converter.passes;

import dev.edgeq.converter.ir.Graph;

/** One graph rewrite. Returns true when it changed the graph. */
public interface Pass {
    boolean apply(Graph graph);

    default String name() {
        return getClass().getSimpleName();
    }
}
