package dev.edgeq.converter.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.converter.ir.Graph;
import dev.edgeq.converter.ir.Node;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.format.AddOptions;
import dev.edgeq.format.Activation;
import dev.edgeq.format.FusedActivation;
import dev.edgeq.format.Metadata;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.runtime.Model;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The emitter writes any number of outputs per operator and every options message by its type. */
class ModelEmitterTest {

    @Test
    void multiOutputNodesAndOptionsAreWrittenGenerically() throws Exception {
        Graph g = new Graph();
        Value x = Value.activation("x", new int[] {1, 6}, new int[] {1, 6}, null);
        Value a = Value.activation("a", new int[] {1, 3}, new int[] {1, 3}, null);
        Value b = Value.activation("b", new int[] {1, 3}, new int[] {1, 3}, null);
        Value y = Value.activation("y", new int[] {1, 3}, new int[] {1, 3}, null);
        g.addInput(x);
        g.add(new Node("split", OpType.CUSTOM, null, List.of(x), List.of(a, b)));
        AddOptions relu = AddOptions.newBuilder()
                .setActivation(FusedActivation.newBuilder().setType(Activation.ACTIVATION_RELU)).build();
        g.add(new Node("sum", OpType.ADD, relu, List.of(a, b), y));
        g.addOutput(y);
        assertEquals(a.producer(), b.producer(), "both outputs are produced by the split node");

        ModelFile file = ModelEmitter.emitFloat(g, Metadata.newBuilder().setModelName("t").build());
        Operator split = file.getOperators(0);
        assertEquals(List.of(1, 2), split.getOutputsList());
        Operator sum = file.getOperators(1);
        assertTrue(sum.hasAdd(), "AddOptions written to Operator.add");
        assertEquals(Activation.ACTIVATION_RELU, sum.getAdd().getActivation().getType());
        assertEquals(List.of(1, 2), sum.getInputsList());
        Model.fromProto(file); // the runtime accepts the structure
    }
}
