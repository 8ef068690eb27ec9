package dev.edgeq.runtime.quant;

import static dev.edgeq.runtime.quant.QuantizedMultiplier.multiplyByQuantizedMultiplier;
import static dev.edgeq.runtime.quant.QuantizedMultiplier.quantizeMultiplier;
import static dev.edgeq.runtime.quant.QuantizedMultiplier.roundingDivideByPowerOfTwo;
import static dev.edgeq.runtime.quant.QuantizedMultiplier.saturatingRoundingDoublingHighMul;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Worked values for the one requantization function and the prepare-time multiplier conversion. */
class QuantizedMultiplierTest {
    private static final int HALF = 1 << 30; // Q31 for 0.5

    @Test
    void saturatingHighMulSaturatesOnlyMinTimesMin() {
        assertEquals(Integer.MAX_VALUE, saturatingRoundingDoublingHighMul(Integer.MIN_VALUE, Integer.MIN_VALUE));
        // -2^31 * (2^31 - 1) / 2^31 = -(2^31 - 1) exactly, minus the nudge, truncated toward zero.
        assertEquals(-Integer.MAX_VALUE, saturatingRoundingDoublingHighMul(Integer.MIN_VALUE, Integer.MAX_VALUE));
        assertEquals(Integer.MAX_VALUE - 1, saturatingRoundingDoublingHighMul(Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals(0, saturatingRoundingDoublingHighMul(0, Integer.MIN_VALUE));
    }

    @Test
    void highMulRoundsPositiveTiesUpAndNegativeTiesTowardZero() {
        // 101 * 0.5 = 50.5 -> 51 ; -101 * 0.5 = -50.5 -> -50 (nudge 1 - 2^30, truncating division).
        assertEquals(51, saturatingRoundingDoublingHighMul(101, HALF));
        assertEquals(-50, saturatingRoundingDoublingHighMul(-101, HALF));
        assertEquals(50, saturatingRoundingDoublingHighMul(100, HALF));
        assertEquals(-50, saturatingRoundingDoublingHighMul(-100, HALF));
        // -1.4999... stays -1, -1.5000...1 goes to -2
        assertEquals(-1, saturatingRoundingDoublingHighMul(-3, HALF));
        assertEquals(-2, saturatingRoundingDoublingHighMul(-3, HALF + 1));
    }

    @Test
    void roundingRightShiftRoundsHalfAwayFromZero() {
        assertEquals(2, roundingDivideByPowerOfTwo(3, 1));    // 1.5
        assertEquals(-2, roundingDivideByPowerOfTwo(-3, 1));  // -1.5
        assertEquals(-1, roundingDivideByPowerOfTwo(-5, 2));  // -1.25
        assertEquals(-2, roundingDivideByPowerOfTwo(-6, 2));  // -1.5
        assertEquals(-2, roundingDivideByPowerOfTwo(-7, 2));  // -1.75
        assertEquals(1, roundingDivideByPowerOfTwo(5, 2));    // 1.25
        assertEquals(7, roundingDivideByPowerOfTwo(7, 0));
        assertEquals(-1, roundingDivideByPowerOfTwo(Integer.MIN_VALUE, 31));
        assertEquals(1, roundingDivideByPowerOfTwo(Integer.MAX_VALUE, 31)); // 0.99999...
        assertEquals(0, roundingDivideByPowerOfTwo(HALF - 1, 31));          // 0.4999...
        assertEquals(1, roundingDivideByPowerOfTwo(HALF, 31));              // 0.5 -> 1
        assertEquals(-1, roundingDivideByPowerOfTwo(-HALF, 31));            // -0.5 -> -1
    }

    @Test
    void multiplyCombinesTheThreeSteps() {
        // shift 0: only the high multiply rounds.
        assertEquals(51, multiplyByQuantizedMultiplier(101, HALF, 0));
        assertEquals(-50, multiplyByQuantizedMultiplier(-101, HALF, 0));
        // shift -1: 0.25 * 10 = 2.5 -> high mul gives 5, shift rounds 2.5 away from zero -> 3; -10 -> -3.
        assertEquals(3, multiplyByQuantizedMultiplier(10, HALF, -1));
        assertEquals(-3, multiplyByQuantizedMultiplier(-10, HALF, -1));
        // x = -41, M = 0.25 (exactly -10.25): high mul -20.5 -> -20 (negative tie toward zero), shift -> -10
        assertEquals(-10, multiplyByQuantizedMultiplier(-41, HALF, -1));
        // shift +1: M = 1.0
        assertEquals(12345, multiplyByQuantizedMultiplier(12345, HALF, 1));
        assertEquals(-12345, multiplyByQuantizedMultiplier(-12345, HALF, 1));
        // Double rounding at the largest right shift: MAX * 0.5 * 2^-31 = 0.49999... exactly, but the high
        // multiply first rounds (2^31 - 1) * 0.5 up to 2^30, and the shift then rounds the tie 0.5 up to 1.
        assertEquals(1, multiplyByQuantizedMultiplier(Integer.MAX_VALUE, HALF, -31));
        assertEquals(0, multiplyByQuantizedMultiplier(Integer.MAX_VALUE - 2, HALF, -31));
        assertEquals(2, multiplyByQuantizedMultiplier(Integer.MAX_VALUE, Integer.MAX_VALUE, -30)); // ~ (2^31 - 2) / 2^30
        // saturation through the high multiply
        assertEquals(Integer.MAX_VALUE, multiplyByQuantizedMultiplier(Integer.MIN_VALUE, Integer.MIN_VALUE, 0));
        // a typical conv layer: acc 23456 * 0.0037 -> 86.79 -> 87
        QuantizedMultiplier m = quantizeMultiplier(0.0037);
        assertEquals(87, m.apply(23456));
        assertEquals(-87, m.apply(-23456));
    }

    @Test
    void multiplyMatchesExactArithmeticWithinOne() {
        Random r = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            double real = Math.exp(r.nextDouble() * 30 - 25) * (r.nextInt(10) == 0 ? -1 : 1);
            QuantizedMultiplier m = quantizeMultiplier(real);
            int x = r.nextInt(1 << 20) - (1 << 19);
            BigDecimal exact = BigDecimal.valueOf(x).multiply(BigDecimal.valueOf(m.multiplier()))
                    .multiply(new BigDecimal(Math.scalb(1.0, m.shift() - 31)));
            long nearest = exact.setScale(0, RoundingMode.HALF_UP).longValueExact();
            int got = m.apply(x);
            assertTrue(Math.abs(got - nearest) <= 1, "x=" + x + " real=" + real + " " + m + " got " + got + " exact " + exact);
        }
    }

    @Test
    void quantizeMultiplierWorkedValues() {
        assertEquals(new QuantizedMultiplier(0, 0), quantizeMultiplier(0.0));
        assertEquals(new QuantizedMultiplier(HALF, 0), quantizeMultiplier(0.5));
        assertEquals(new QuantizedMultiplier(HALF, 1), quantizeMultiplier(1.0));
        assertEquals(new QuantizedMultiplier(1610612736, 0), quantizeMultiplier(0.75));
        assertEquals(new QuantizedMultiplier(-1610612736, 0), quantizeMultiplier(-0.75));
        assertEquals(new QuantizedMultiplier(1610612736, -3), quantizeMultiplier(0.09375));
        // frexp(0.0037) = 0.9472 * 2^-8; 0.9472 * 2^31 rounded
        assertEquals(new QuantizedMultiplier((int) Math.round(0.0037 * Math.pow(2, 39)), -8), quantizeMultiplier(0.0037));
    }

    @Test
    void mantissaRoundingUpToTwoToThe31IsRenormalized() {
        // q = 1 - 2^-40: q * 2^31 rounds to 2^31, which does not fit: halve it and bump the shift.
        assertEquals(new QuantizedMultiplier(HALF, 1), quantizeMultiplier(1.0 - 0x1p-40));
        assertEquals(new QuantizedMultiplier(-HALF, 1), quantizeMultiplier(-(1.0 - 0x1p-40)));
        assertEquals(new QuantizedMultiplier(HALF, -4), quantizeMultiplier(0x1p-5 - 0x1p-45));
    }

    @Test
    void mantissaTiesRoundAwayFromZero() {
        // q * 2^31 = 2^30 + 0.5 exactly: C's round gives 2^30 + 1 for both signs (Math.round would not).
        assertEquals(new QuantizedMultiplier(HALF + 1, 0), quantizeMultiplier(0.5 + 0x1p-32));
        assertEquals(new QuantizedMultiplier(-(HALF + 1), 0), quantizeMultiplier(-(0.5 + 0x1p-32)));
    }

    @Test
    void tinyMultipliersFlushToZero() {
        assertEquals(new QuantizedMultiplier(HALF, -31), quantizeMultiplier(0x1p-32)); // smallest kept
        assertEquals(new QuantizedMultiplier(0, 0), quantizeMultiplier(0x1p-33));      // shift -32: flushed
        assertEquals(new QuantizedMultiplier(0, 0), quantizeMultiplier(Double.MIN_VALUE));
        assertEquals(0, quantizeMultiplier(1e-12).apply(Integer.MAX_VALUE));
    }

    @Test
    void rejectsNonFiniteAndHugeMultipliersAndBadShifts() {
        assertThrows(IllegalArgumentException.class, () -> quantizeMultiplier(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> quantizeMultiplier(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> quantizeMultiplier(0x1p40));
        assertEquals(new QuantizedMultiplier(HALF, 31), quantizeMultiplier(0x1p30));
        assertThrows(IllegalArgumentException.class, () -> new QuantizedMultiplier(HALF, 32));
        assertThrows(IllegalArgumentException.class, () -> new QuantizedMultiplier(HALF, -32));
    }
}
