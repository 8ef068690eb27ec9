package dev.edgeq.runtime;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Tensor;
import dev.edgeq.runtime.testing.ModelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The classes of crafted model files that crashed TFLite (issues #115308, #116632, #111458, #124982,
 * #111637), made as .eqm files: each must be refused at load, or at Interpreter creation, with a
 * {@link ModelFormatException} that names the culprit, before anything is allocated from its numbers.
 */
class CraftedModelTest {
    private final ModelFile good = ModelBuilder.smallFloatCnn(1);

    private ModelFormatException refused(ModelFile crafted, String... mentions) {
        return refused(crafted.toByteArray(), mentions);
    }

    private static ModelFormatException refused(byte[] crafted, String... mentions) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> {
            Model model = Model.fromBytes(crafted);
            Interpreter.create(model).close();
        });
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "message should mention '" + m + "': " + e.getMessage());
        }
        return e;
    }

    private ModelFile withShape(int tensor, int... shape) {
        Tensor.Builder t = good.getTensors(tensor).toBuilder().clearShape();
        for (int d : shape) {
            t.addShape(d);
        }
        return good.toBuilder().setTensors(tensor, t).build();
    }

    @Test
    void intMaxDimensionIsRefused() {
        refused(withShape(0, 1, Integer.MAX_VALUE, 12, 1), "'input'", "elements");
    }

    @Test
    void negativeAndZeroDimensionsAreRefused() {
        refused(withShape(0, 1, -12, 12, 1), "'input'", "-12");
        refused(withShape(0, 1, Integer.MIN_VALUE, 12, 1), "'input'", String.valueOf(Integer.MIN_VALUE));
        refused(withShape(0, 1, 0, 12, 1), "'input'", "dimension 1 is 0");
    }

    @Test
    void elementCountThatOverflowsIntOrLongIsRefused() {
        // 65536 * 65536 wraps to 0 in 32-bit arithmetic; 2^16 * 2^16 * 2^16 * 2^16 wraps a long.
        refused(withShape(0, 65536, 65536, 1, 1), "'input'", "elements");
        refused(withShape(0, 65536, 65536, 65536, 65536), "'input'", "elements");
        // 46341^2 is just above 2^31: a negative int count.
        refused(withShape(0, 46341, 46341, 1, 1), "'input'", "elements");
    }

    @Test
    void dataLengthThatDisagreesWithTheShapeIsRefused() {
        // w1 is 4x3x3x1 floats; claim a shape whose byte count overflows int when multiplied by 4.
        refused(withShape(1, 1 << 27, 4, 1, 1), "'w1'");
        refused(withShape(1, 4, 3, 3, 2), "'w1'", "bytes");
    }

    @Test
    void lengthAndOffsetOverflowsInTheFileAreRefused() throws IOException {
        // A tensor (field 3) whose declared length runs past the end of the file, then one whose varint
        // length is negative as an int32, then a packed shape whose length claims 2 GiB.
        byte[] prefix = good.toBuilder().clearTensors().clearOperators().build().toByteArray();
        refused(concat(prefix, tagAndLength(3, Integer.MAX_VALUE)), "not a readable edgeq model file");
        refused(concat(prefix, tagAndLength(3, -1)), "not a readable edgeq model file");
        byte[] tensorWithHugeShape = tagAndLength(2, Integer.MAX_VALUE - 8);
        refused(concat(prefix, tagAndLength(3, tensorWithHugeShape.length), tensorWithHugeShape),
                "not a readable edgeq model file");
    }

    @Test
    void reshapeToALargerSizeIsRefused() {
        // 'flatten' reshapes gap (1x1x1x8) into flat (1x8); make flat 1x800.
        refused(withShape(8, 1, 800), "'flatten'", "RESHAPE");
    }

    @Test
    void operatorTensorIndicesOutOfRangeAreRefused() {
        for (int bad : new int[] {good.getTensorsCount(), Integer.MAX_VALUE, -2, Integer.MIN_VALUE}) {
            refused(good.toBuilder().setOperators(0, good.getOperators(0).toBuilder().setInputs(0, bad)).build(),
                    "'conv1'", String.valueOf(bad));
            refused(good.toBuilder().setOperators(0, good.getOperators(0).toBuilder().setOutputs(0, bad)).build(),
                    "'conv1'", String.valueOf(bad));
            refused(good.toBuilder().setInputs(0, bad).build(), "graph input", String.valueOf(bad));
            refused(good.toBuilder().setOutputs(0, bad).build(), "graph output", String.valueOf(bad));
        }
    }

    @Test
    void cyclesAndUseBeforeDefinitionAreRefused() {
        // conv1 reads p1, which pool1 writes only afterwards (pool1 reads c1 that conv1 writes: a cycle).
        int p1 = good.getOperators(1).getOutputs(0);
        refused(good.toBuilder().setOperators(0, good.getOperators(0).toBuilder().setInputs(0, p1)).build(),
                "'conv1'", "read before any operator writes it");
        // An operator that reads its own output.
        int c1 = good.getOperators(0).getOutputs(0);
        refused(good.toBuilder().setOperators(0, good.getOperators(0).toBuilder().setInputs(0, c1)).build(),
                "'conv1'", "read before any operator writes it");
        // Two operators writing one tensor.
        refused(good.toBuilder().setOperators(1, good.getOperators(1).toBuilder().setOutputs(0, c1)).build(),
                "'pool1'", "written twice");
    }

    @Test
    void operatorTypeFromTheFutureIsRefused() {
        refused(good.toBuilder().setOperators(2, good.getOperators(2).toBuilder().setTypeValue(999)).build(),
                "'conv2'", "unknown operator type 999");
    }

    @Test
    void inputWithMoreChannelsThanAPixelTableHoldsIsRefused() {
        // The interpreter builds a 256-entry table per input channel: 2^23 channels would overflow it.
        ModelBuilder b = new ModelBuilder();
        int x = b.floatActivation("input", 1, 1 << 23);
        int y = b.floatActivation("probs", 1, 1 << 23);
        b.op(ModelBuilder.op("softmax", OpType.SOFTMAX, y, x).build());
        refused(b.io(x, y).build(), "'input'", "channels", "4096");
    }

    @Test
    void activationsLargerThanTheHeapAreRefusedBeforeAllocating() {
        // Legal shapes (2^28 elements each, the most a tensor may have): 2 GiB of float activations, more
        // than the arena limit and, in the 64 MiB fuzz executions, than the heap. (The seed corpus of
        // ModelFileFuzzTest holds a 128 MiB variant that only the heap check stops.)
        ModelBuilder b = new ModelBuilder();
        int x = b.floatActivation("input", 1, 16384, 16384, 1);
        int y = b.floatActivation("relu", 1, 16384, 16384, 1);
        b.op(ModelBuilder.op("relu", OpType.RELU, y, x).build());
        refused(b.io(x, y).build(), "activations need", "heap");
    }

    private static byte[] tagAndLength(int field, int length) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeTag(field, 2);
        out.writeInt32NoTag(length);
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
