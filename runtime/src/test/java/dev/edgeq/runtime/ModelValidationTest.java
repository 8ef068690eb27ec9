package dev.edgeq.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.edgeq.format.FormatVersion;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.Tensor;
import dev.edgeq.runtime.testing.ModelBuilder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelValidationTest {
    private final ModelFile good = ModelBuilder.smallFloatCnn(1);

    @Test
    void goodModelLoads() throws Exception {
        Model m = Model.fromBytes(good.toByteArray());
        assertEquals(7, m.operatorCount());
        assertEquals("small-cnn", m.name());
        assertEquals(64, m.sha256().length());
    }

    @Test
    void newerMajorVersionIsRefusedWithBothVersions() {
        ModelFile newer = good.toBuilder().setFormatVersion(FormatVersion.newBuilder().setMajor(2).setMinor(3)).build();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Model.fromBytes(newer.toByteArray()));
        assertTrue(e.getMessage().contains("2.3") && e.getMessage().contains("1.x"), e.getMessage());
    }

    @Test
    void newerMinorVersionIsAccepted() throws Exception {
        ModelFile newer = good.toBuilder().setFormatVersion(FormatVersion.newBuilder().setMajor(1).setMinor(9)).build();
        Model m = Model.fromBytes(newer.toByteArray());
        assertEquals(9, m.proto().getFormatVersion().getMinor());
        // accepted means usable: it runs and computes what the same model at the current version computes
        assertArrayEquals(outputs(Model.fromBytes(good.toByteArray())), outputs(m));
    }

    private static float[] outputs(Model m) throws ModelFormatException {
        byte[] pixels = new byte[m.input().elementCount()];
        new Random(4).nextBytes(pixels);
        try (Interpreter it = Interpreter.create(m)) {
            it.setInputPixels(pixels, 0);
            it.run();
            float[] out = new float[it.outputSize()];
            it.outputFloat(out);
            return out;
        }
    }

    @Test
    void dataLengthMismatchNamesTheTensor() {
        Tensor w1 = good.getTensors(1);
        ModelFile bad = good.toBuilder().setTensors(1, w1.toBuilder().setData(w1.getData().substring(4))).build();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Model.fromBytes(bad.toByteArray()));
        assertTrue(e.getMessage().contains("'w1'") && e.getMessage().contains("140 bytes"), e.getMessage());
    }

    @Test
    void hugeShapeIsRefusedBeforeAllocating() {
        ModelFile bad = good.toBuilder().setTensors(0, good.getTensors(0).toBuilder().clearShape()
                .addShape(1).addShape(100000).addShape(100000).addShape(1000)).build();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Model.fromBytes(bad.toByteArray()));
        assertTrue(e.getMessage().contains("'input'") && e.getMessage().contains("elements"), e.getMessage());
    }

    @Test
    void inconsistentConvChannelsNameTheOperator() {
        // conv2's weights expect 4 input channels; give them 3.
        Tensor w2 = good.getTensors(5);
        ModelFile bad = good.toBuilder().setTensors(5, w2.toBuilder().clearShape().addShape(8).addShape(3).addShape(4).addShape(3)).build();
        // The file's structure is sound, so it loads; the operator's registration refuses it when prepared.
        Model loaded = assertDoesNotThrow(() -> Model.fromBytes(bad.toByteArray()));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Interpreter.create(loaded));
        assertTrue(e.getMessage().contains("'conv2'") && e.getMessage().contains("CONV_2D"), e.getMessage());
    }

    @Test
    void tensorIndexOutOfRangeIsNamed() {
        ModelFile bad = good.toBuilder().setOperators(2, good.getOperators(2).toBuilder().setInputs(1, 99)).build();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Model.fromBytes(bad.toByteArray()));
        assertTrue(e.getMessage().contains("99") && e.getMessage().contains("'conv2'"), e.getMessage());
    }

    @Test
    void truncatedFilesAreRefusedAtEveryLength() {
        byte[] bytes = good.toByteArray();
        int refused = 0;
        for (int len = 0; len < bytes.length; len += Math.max(1, bytes.length / 300)) {
            byte[] cut = Arrays.copyOf(bytes, len);
            assertThrows(ModelFormatException.class, () -> Model.fromBytes(cut), "truncated at " + len);
            refused++;
        }
        assertTrue(refused > 100);
    }

    @Test
    void bitFlipsGiveAModelFormatExceptionOrAValidModelNeverACrash() throws Exception {
        byte[] bytes = good.toByteArray();
        Random random = new Random(7);
        int refused = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] flipped = bytes.clone();
            int pos = random.nextInt(flipped.length);
            flipped[pos] ^= (byte) (1 << random.nextInt(8));
            try {
                Model m = Model.fromBytes(flipped);
                // A flip inside weight data leaves a valid model: it must also run.
                try (Interpreter it = Interpreter.create(m)) {
                    it.setInput(new float[m.input().elementCount()]);
                    it.run();
                }
            } catch (ModelFormatException e) {
                refused++;
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            }
        }
        assertTrue(refused > 100, "only " + refused + " of 2000 flips were detected");
    }
}
