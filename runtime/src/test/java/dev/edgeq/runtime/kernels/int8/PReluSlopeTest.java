package dev.edgeq.runtime.kernels.int8;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Float PReLU slopes are quantized with edgeq's one rounding rule: half away from zero, also below zero. */
class PReluSlopeTest {
    @Test
    void negativeTiesRoundAwayFromZero() {
        // the largest |slope| is 127, so the scale is exactly 1 and -2.5 / 1 is a tie (Math.round gave -2)
        float[] effective = PReluParams.effectiveFloatSlope(new float[] {127f, -2.5f, 2.5f, -0.5f, 0.49f});
        assertArrayEquals(new float[] {127f, -3f, 3f, -1f, 0f}, effective);
    }
}
