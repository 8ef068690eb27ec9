package dev.edgeq.runtime.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.edgeq.runtime.quant.QuantizedMultiplier;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The shorter 64-bit form of the double-rounding multiply used by the vector output stage
 * ({@link Requant#multiplyByQuantizedMultiplierLong}) equals TFLite's definition
 * ({@link QuantizedMultiplier#multiplyByQuantizedMultiplier}) for every right shift 0..31, on
 * random accumulators over the whole int range, on exact ties of both roundings and on the extremes.
 */
class RequantIdentityTest {

    @Test
    void longFormEqualsTfliteDoubleRounding() {
        Random r = new Random(11);
        int[] edgeX = {0, 1, -1, 2, -2, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1,
            1 << 30, -(1 << 30), (1 << 30) - 1, -(1 << 30) + 1};
        int[] edgeM = {0, 1, 2, 1 << 30, (1 << 30) + 1, Integer.MAX_VALUE, Integer.MAX_VALUE - 1, 1518500250, -1, -(1 << 30),
            Integer.MIN_VALUE + 1};
        long checked = 0;
        for (int rs = 0; rs <= 31; rs++) {
            for (int x : edgeX) {
                for (int m : edgeM) {
                    check(x, m, rs);
                    checked++;
                }
            }
            for (int i = 0; i < 200_000; i++) {
                int m = r.nextInt(4) == 0 ? r.nextInt() : (1 << 30) + r.nextInt(1 << 30);
                if (m == Integer.MIN_VALUE) {
                    continue;
                }
                int x;
                switch (r.nextInt(4)) {
                    case 0: x = r.nextInt(); break;
                    case 1: x = r.nextInt(1 << 20) - (1 << 19); break;
                    case 2: {
                        // m = 2^30: x * m + 2^30 is a multiple of 2^31 for every odd x, an exact tie of the high multiply
                        m = 1 << 30;
                        x = r.nextInt(1 << 16) - (1 << 15);
                        break;
                    }
                    default: {
                        // ties of the rounding shift: high multiply result h = k * 2^rs + 2^(rs-1) with m = 2^30 (h = x/2)
                        m = 1 << 30;
                        long h = (long) (r.nextInt(1 << 10) - (1 << 9)) * (1L << rs) + (rs > 0 ? (1L << (rs - 1)) : 0)
                                + (r.nextInt(3) - 1);
                        long xl = 2 * h;
                        x = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, xl));
                    }
                }
                check(x, m, rs);
                checked++;
            }
        }
        System.out.println("RequantIdentityTest: " + checked + " (x, multiplier, shift) triples, long form == TFLite form");
    }

    private static void check(int x, int m, int rs) {
        assertEquals(QuantizedMultiplier.multiplyByQuantizedMultiplier(x, m, -rs), Requant.multiplyByQuantizedMultiplierLong(x, m, rs),
                "x " + x + " multiplier " + m + " right shift " + rs);
    }
}
