package dev.edgeq.converter.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.ops.OpSpecs;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.testing.ModelBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every operator states its int8 rule; one without a rule stops quantization instead of guessing. */
class Int8RuleTest {

    @Test
    void everyBuiltinOpTypeHasAConverterSpec() {
        List<OpType> missing = new ArrayList<>();
        for (OpType t : OpType.values()) {
            boolean builtin = t != OpType.OP_TYPE_UNSPECIFIED && t != OpType.CUSTOM && t != OpType.UNRECOGNIZED;
            if (builtin && OpSpecs.edgeq(t) == null) {
                missing.add(t);
            }
        }
        assertEquals(List.of(), missing, "op types without an EdgeqOpSpec (int8 rule and ONNX export) in OpSpecs");
    }

    @Test
    void anOperatorWithoutARuleIsAnErrorNamingIt() throws Exception {
        ModelBuilder b = new ModelBuilder();
        int x = b.floatActivation("x", 1, 4);
        int y = b.floatActivation("y", 1, 4);
        b.op(ModelBuilder.op("mine", OpType.CUSTOM, y, x).setCustomName("my_op").build());
        ModelFile file = b.io(x, y).build();
        Model model = Model.fromProto(file);
        double[][] ranges = {{-1, 1}, {-1, 1}};
        ConversionException e = assertThrows(ConversionException.class,
                () -> GraphQuantizer.quantize(file, model, ranges, ranges, QuantParams.fromRange(-1, 1), false));
        assertTrue(e.getMessage().contains("'mine'") && e.getMessage().contains("no int8 rule"), e.getMessage());
    }

    @Test
    void quantizingAQuantizedModelIsRefused() throws Exception {
        ModelBuilder b = new ModelBuilder();
        int x = b.floatActivation("x", 1, 4);
        int q = b.int8Activation("q", 0.1f, 0, 1, 4);
        int y = b.floatActivation("y", 1, 4);
        b.op(ModelBuilder.op("quantize", OpType.QUANTIZE, q, x).build());
        b.op(ModelBuilder.op("dequantize", OpType.DEQUANTIZE, y, q).build());
        ModelFile file = b.io(x, y).build();
        Model model = Model.fromProto(file);
        double[][] ranges = {{-1, 1}, {-1, 1}, {-1, 1}};
        ConversionException e = assertThrows(ConversionException.class,
                () -> GraphQuantizer.quantize(file, model, ranges, ranges, QuantParams.fromRange(-1, 1), false));
        assertTrue(e.getMessage().contains("'quantize'") && e.getMessage().contains("already"), e.getMessage());
    }
}
