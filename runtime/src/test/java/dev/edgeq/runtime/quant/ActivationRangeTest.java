package dev.edgeq.runtime.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Worked values for TFLite's CalculateActivationRangeQuantized. */
class ActivationRangeTest {

    @Test
    void none() {
        assertEquals(new ActivationRange(-128, 127), ActivationRange.none());
    }

    @Test
    void reluStartsAtTheZeroPoint() {
        assertEquals(new ActivationRange(10, 127), ActivationRange.relu(0.1f, 10));
        assertEquals(new ActivationRange(-128, 127), ActivationRange.relu(0.1f, -128));
    }

    @Test
    void relu6EndsAtTheQuantizedSix() {
        assertEquals(new ActivationRange(-20, 100), ActivationRange.relu6(0.05f, -20));   // 6 / 0.05 = 120
        assertEquals(new ActivationRange(-128, 127), ActivationRange.relu6(6f / 255f, -128));
        assertEquals(new ActivationRange(0, 127), ActivationRange.relu6(0.01f, 0));        // q(6) = 600 clamped
    }

    @Test
    void clipRoundsHalfAwayFromZero() {
        assertEquals(new ActivationRange(-3, 3), ActivationRange.clip(-0.625f, 0.625f, 0.25f, 0)); // +-2.5
        assertEquals(new ActivationRange(-100, 100), ActivationRange.clip(-1f, 1f, 0.01f, 0));
        assertEquals(new ActivationRange(-128, 127), ActivationRange.clip(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0.01f, 0));
    }

    @Test
    void rejectsBadInputs() {
        assertThrows(IllegalArgumentException.class, () -> ActivationRange.relu(0f, 0));
        assertThrows(IllegalArgumentException.class, () -> ActivationRange.relu(0.1f, 200));
        assertThrows(IllegalArgumentException.class, () -> ActivationRange.clip(1f, -1f, 0.1f, 0));
        assertThrows(IllegalArgumentException.class, () -> new ActivationRange(5, 4));
    }
}
