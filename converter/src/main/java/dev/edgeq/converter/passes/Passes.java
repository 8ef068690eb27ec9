package dev.edgeq.converter.passes;

import dev.edgeq.converter.ir.Graph;
import java.util.List;

/** The float pipeline, in order: each pass sees the result of the ones before it. */
public final class Passes {
    /** Order matters: BatchNorm (MUL+ADD) must fold into the conv before the ReLU after it fuses. */
    public static final List<Pass> FLOAT_PIPELINE = List.of(
            new RemoveNoOps(),
            new FuseSwish(),
            new FoldAffineIntoConv(),
            new FusePadding(),
            new FuseActivation());

    private Passes() {
    }

    public static Graph runFloatPipeline(Graph graph) {
        for (Pass p : FLOAT_PIPELINE) {
            p.apply(graph);
        }
        return graph;
    }
}
