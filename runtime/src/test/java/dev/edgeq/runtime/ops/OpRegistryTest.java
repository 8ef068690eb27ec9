package dev.edgeq.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.testing.ModelBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The operator registry: built-ins complete, custom operators registered through Interpreter.Options. */
class OpRegistryTest {
    /** A user's operator with two outputs: the first half of x times k, and the second half (k in custom_options). */
    private static final OpRegistration SPLIT_SCALE = new OpRegistration() {
        @Override
        public void validate(OpInfo op) throws ModelFormatException {
            op.requireInputs(1, 1);
            op.requireOutputs(2);
            op.requireFloat(op.input(0), op.output(0));
            if (op.op().getCustomOptions().size() != 1) {
                throw op.error("custom_options must hold the factor as one byte");
            }
            if (op.output(0).elementCount() * 2 != op.input(0).elementCount()
                    || op.output(1).elementCount() * 2 != op.input(0).elementCount()) {
                throw op.error("each output holds half of the input");
            }
        }

        @Override
        public PreparedOp prepareFloat(OpContext ctx) {
            TensorStorage s = ctx.storage();
            int half = ctx.output(0).elementCount();
            float k = ctx.op().getCustomOptions().byteAt(0);
            float[] in = s.floats(ctx.inputIndex(0));
            int inOff = s.offset(ctx.inputIndex(0));
            float[] a = s.floats(ctx.outputIndex(0));
            int aOff = s.offset(ctx.outputIndex(0));
            float[] b = s.floats(ctx.outputIndex(1));
            int bOff = s.offset(ctx.outputIndex(1));
            return () -> {
                for (int i = 0; i < half; i++) {
                    a[aOff + i] = k * in[inOff + i];
                    b[bOff + i] = in[inOff + half + i];
                }
            };
        }

        @Override
        public PreparedOp prepareInt8(OpContext ctx) throws ModelFormatException {
            throw ctx.floatOnly();
        }

        @Override
        public long macs(OpInfo op) {
            return op.output(0).elementCount();
        }
    };

    /** x [1,6] -> split_scale (CUSTOM, k = 3) -> (a, b) [1,3] each -> a + b. */
    private static ModelFile customModel(String customName) {
        ModelBuilder m = new ModelBuilder();
        int x = m.floatActivation("x", 1, 6);
        int a = m.floatActivation("a", 1, 3);
        int b = m.floatActivation("b", 1, 3);
        int y = m.floatActivation("y", 1, 3);
        m.op(ModelBuilder.op("split", OpType.CUSTOM, a, x).addOutputs(b).setCustomName(customName)
                .setCustomOptions(ByteString.copyFrom(new byte[] {3})).build());
        m.op(ModelBuilder.op("sum", OpType.ADD, y, a, b).build());
        return m.io(x, y).build();
    }

    @Test
    void everyBuiltinOpTypeHasARegistration() {
        List<OpType> missing = new ArrayList<>();
        for (OpType t : OpType.values()) {
            boolean builtin = t != OpType.OP_TYPE_UNSPECIFIED && t != OpType.CUSTOM && t != OpType.UNRECOGNIZED;
            if (builtin && !OpRegistry.builtins().supports(t)) {
                missing.add(t);
            }
        }
        assertEquals(List.of(), missing, "op types without a registration in OpRegistry.builtins()");
    }

    @Test
    void customOperatorWithTwoOutputsRunsThroughOptions() throws Exception {
        Model model = Model.fromProto(customModel("split_scale"));
        Interpreter.Options options = Interpreter.Options.builder().register("split_scale", SPLIT_SCALE).build();
        try (Interpreter it = Interpreter.create(model, options)) {
            it.setInput(new float[] {1, 2, 3, 10, 20, 30});
            it.run();
            float[] y = new float[3];
            it.outputFloat(y);
            assertArrayEquals(new float[] {13, 26, 39}, y); // 3 * (1, 2, 3) + (10, 20, 30)
            assertEquals(3, it.macs(0), "MACs come from the custom registration");
            assertEquals(0, it.macs(1));
        }
    }

    @Test
    void unregisteredCustomOperatorIsNamedWithWhatIsRegistered() throws Exception {
        Model model = Model.fromProto(customModel("split_scale"));
        ModelFormatException none = assertThrows(ModelFormatException.class, () -> Interpreter.create(model));
        assertTrue(none.getMessage().contains("'split'") && none.getMessage().contains("'split_scale'")
                && none.getMessage().contains("register"), none.getMessage());
        Interpreter.Options other = Interpreter.Options.builder().register("other_op", SPLIT_SCALE).build();
        ModelFormatException wrong = assertThrows(ModelFormatException.class, () -> Interpreter.create(model, other));
        assertTrue(wrong.getMessage().contains("[other_op]"), wrong.getMessage());
    }

    @Test
    void customValidationErrorsNameTheOperator() throws Exception {
        ModelFile file = customModel("split_scale").toBuilder()
                .setOperators(0, customModel("split_scale").getOperators(0).toBuilder().clearCustomOptions()).build();
        Model model = Model.fromProto(file);
        Interpreter.Options options = Interpreter.Options.builder().register("split_scale", SPLIT_SCALE).build();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Interpreter.create(model, options));
        assertTrue(e.getMessage().contains("operator 0 'split' (CUSTOM 'split_scale')")
                && e.getMessage().contains("custom_options"), e.getMessage());
    }

    @Test
    void registeringANameTwiceOrBlankIsRefused() {
        Interpreter.Options.Builder b = Interpreter.Options.builder().register("op", SPLIT_SCALE);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> b.register("op", SPLIT_SCALE));
        assertTrue(twice.getMessage().contains("'op'"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.register(" ", SPLIT_SCALE));
    }

    @Test
    void optionsAreImmutableOnceBuilt() throws Exception {
        Interpreter.Options.Builder b = Interpreter.Options.builder();
        Interpreter.Options plain = b.build();
        b.register("split_scale", SPLIT_SCALE).preserveAllTensors(true);
        assertEquals(false, plain.preserveAllTensors());
        Model model = Model.fromProto(customModel("split_scale"));
        assertThrows(ModelFormatException.class, () -> Interpreter.create(model, plain));
    }

    @Test
    void unknownOperatorTypeNumberIsNamed() throws Exception {
        ModelFile file = ModelBuilder.smallFloatCnn(1);
        ModelFile newer = file.toBuilder().setOperators(4, file.getOperators(4).toBuilder().setTypeValue(777)).build();
        Model model = Model.fromProto(newer);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Interpreter.create(model));
        assertTrue(e.getMessage().contains("'flatten'") && e.getMessage().contains("777"), e.getMessage());
    }

    @Test
    void validateChecksOperatorsWithoutAnInterpreter() throws Exception {
        ModelFile file = ModelBuilder.smallFloatCnn(1);
        // the dense layer's bias gets 4 values for 3 outputs
        ModelFile bad = file.toBuilder().setTensors(10, file.getTensors(10).toBuilder().setShape(0, 4)
                .setData(ByteString.copyFrom(new byte[16]))).build();
        Model model = Model.fromProto(bad);
        assertEquals("bd", model.tensor(10).name());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OpRegistry.builtins().validate(model));
        assertTrue(e.getMessage().contains("'dense'") && e.getMessage().contains("bias"), e.getMessage());
    }

    @Test
    void builtinMacsCountConvDepthAndDenseLayers() throws Exception {
        Model model = Model.fromProto(ModelBuilder.smallFloatCnn(1));
        OpRegistry r = OpRegistry.builtins();
        assertEquals(12L * 12 * 4 * 9, r.macs(model, 0), "conv1: 12x12x4 outputs, 3x3x1 taps");
        assertEquals(0, r.macs(model, 1), "max pool");
        assertEquals(4L * 4 * 8 * 9 * 4, r.macs(model, 2), "conv2: 4x4x8 outputs, 3x3x4 taps");
        assertEquals(3L * 8, r.macs(model, 5), "dense 8 -> 3");
    }
}
