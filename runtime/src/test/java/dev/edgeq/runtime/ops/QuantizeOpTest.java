package dev.edgeq.runtime.ops;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** QUANTIZE rounds the float product half away from zero, exactly, and saturates instead of wrapping. */
class QuantizeOpTest {
    private static byte quantize(float x, float inverseScale, int zeroPoint) {
        byte[] out = new byte[1];
        QuantizeOp.quantize(1, new float[] {x}, 0, inverseScale, zeroPoint, out, 0);
        return out[0];
    }

    @Test
    void tiesGoAwayFromZeroAndTheFloatJustBelowAHalfRoundsDown() {
        assertEquals(1, quantize(0.5f, 1f, 0));
        assertEquals(-1, quantize(-0.5f, 1f, 0));
        assertEquals(3, quantize(2.5f, 1f, 0));
        assertEquals(-3, quantize(-2.5f, 1f, 0));
        // 0.5 - 2^-25: adding 0.5f in float rounds up to 1.0, which the inline rounding this replaced did
        float belowHalf = Math.nextDown(0.5f);
        assertEquals(0, quantize(belowHalf, 1f, 0));
        assertEquals(0, quantize(-belowHalf, 1f, 0));
        assertEquals(5, quantize(belowHalf, 1f, 5));
    }

    @Test
    void hugeValuesSaturateWhateverTheZeroPoint() {
        for (int zp : new int[] {-128, -1, 0, 1, 127}) {
            assertEquals(127, quantize(3e9f, 1f, zp), "zero point " + zp);
            assertEquals(127, quantize(Float.POSITIVE_INFINITY, 1f, zp), "zero point " + zp);
            assertEquals(-128, quantize(-3e9f, 1f, zp), "zero point " + zp);
            assertEquals(-128, quantize(Float.NEGATIVE_INFINITY, 1f, zp), "zero point " + zp);
        }
        assertEquals(7, quantize(Float.NaN, 1f, 7), "NaN quantizes to the zero point");
    }

    @Test
    void agreesWithExactDecimalRoundingOfTheFloatProduct() {
        Random r = new Random(13);
        for (int i = 0; i < 100_000; i++) {
            float x = (float) (r.nextGaussian() * 40);
            float inv = 1f / (0.01f + r.nextFloat());
            int zp = r.nextInt(256) - 128;
            float product = x * inv;
            // BigDecimal's HALF_UP is half away from zero, computed on the exact value of the float
            long rounded = new BigDecimal(product).setScale(0, RoundingMode.HALF_UP).longValueExact();
            long expected = Math.max(-128, Math.min(127, rounded + zp));
            assertEquals(expected, quantize(x, inv, zp), x + " * " + inv + " + " + zp);
        }
    }
}
