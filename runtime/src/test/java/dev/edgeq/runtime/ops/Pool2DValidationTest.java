package dev.edgeq.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.format.OpType;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.testing.ModelBuilder;
import org.junit.jupiter.api.Test;

/**
 * The output sizes a ceil-mode pool may declare: the ceil or the floor size (an exporter may drop a
 * last window that starts in the padding), and nothing else. The float and int8 paths share the rule
 * ({@code ConvGeometry.checkPool}); validation used to accept the floor size minus one where floor
 * and ceil coincide, which float then ran and int8 rejected at prepare.
 */
class Pool2DValidationTest {

    /** A max pool, kernel 2, stride 2, ceil mode, from {@code [1,in,in,1]} to {@code [1,out,out,1]}, float or int8. */
    private static Model pool(int in, int out, boolean int8) throws Exception {
        ModelBuilder b = new ModelBuilder();
        int x = int8 ? b.int8Activation("x", 0.5f, 0, 1, in, in, 1) : b.floatActivation("x", 1, in, in, 1);
        int y = int8 ? b.int8Activation("y", 0.5f, 0, 1, out, out, 1) : b.floatActivation("y", 1, out, out, 1);
        b.op(ModelBuilder.op("pool", OpType.MAX_POOL_2D, y, x).setPool(ModelBuilder.pool(2, 2).setCeilMode(true)).build());
        return Model.fromProto(b.io(x, y).build());
    }

    private static void create(int in, int out, boolean int8) throws Exception {
        try (Interpreter it = Interpreter.create(pool(in, out, int8))) {
            it.run();
        }
    }

    @Test
    void ceilModeAcceptsTheCeilAndTheFloorSize() {
        for (boolean int8 : new boolean[] {false, true}) {
            // input 5: floor 2, ceil 3
            assertDoesNotThrow(() -> create(5, 3, int8));
            assertDoesNotThrow(() -> create(5, 2, int8));
            // input 4: floor = ceil = 2
            assertDoesNotThrow(() -> create(4, 2, int8));
        }
    }

    @Test
    void ceilModeRejectsOneLessThanTheFloorSize() {
        for (boolean int8 : new boolean[] {false, true}) {
            // input 4: floor = ceil = 2, so 1 is neither (it was accepted for float before)
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> create(4, 1, int8));
            assertTrue(e.getMessage().contains("'pool'") && e.getMessage().contains("neither the floor (2) nor the ceil (2)"),
                    e.getMessage());
            // input 5: floor 2, ceil 3, so 1 is too small
            assertThrows(ModelFormatException.class, () -> create(5, 1, int8));
        }
    }
}
