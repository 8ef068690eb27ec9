package dev.edgeq.runtime.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vectorized output stage against the scalar one on crafted rounding edges that random
 * layers almost never hit: exact ties of the doubling high multiply (negative ties round toward
 * zero there) and of the rounding right shift (ties away from zero), at every right shift 0..24,
 * with results kept inside the int8 range so the clamp cannot hide a difference.
 */
class VectorRequantTest {

    @Test
    void vectorOutputStageMatchesScalarOnRoundingTies() {
        ties(24, 0, -128, 127);
    }

    /**
     * Right shifts up to 11 with the int8 range clamp: every channel's unsaturated accumulators fit
     * the double-lane path (on 256-bit and wider vectors), which must agree exactly as well,
     * including at the clamp thresholds it computes, with an output offset and a narrower clamp.
     */
    @Test
    void doubleLanePathMatchesScalarOnRoundingTies() {
        VectorRequant vr = ties(11, 0, -128, 127);
        if (VectorKernelFactory.VECTOR_REQUANT) {
            assertTrue(vr.doubleLanes(), "right shifts <= 11 should take the double-lane path");
        }
        ties(11, 17, -20, 90);
        ties(11, -128, -128, 0);
    }

    /**
     * Every accumulator of a whole range per channel (the unsaturated outputs and past both clamps),
     * random multipliers in [0, 2^31) and right shifts 0..11 (double lanes where they qualify) and
     * 0..30 (long lanes), against the scalar rule: not only on crafted ties.
     */
    @Test
    void outputStageMatchesScalarOnWholeRanges() {
        assumeTrue(VectorSupport.available(), "module jdk.incubator.vector absent: vector output stage not tested");
        Random r = new Random(11);
        int channels = 19; // a partial last vector at every width
        long checked = 0;
        for (int round = 0; round < 12; round++) {
            int[] multipliers = new int[channels];
            int[] shifts = new int[channels];
            int[] bias = new int[channels];
            for (int c = 0; c < channels; c++) {
                multipliers[c] = c == 0 ? 0 : c == 1 ? 1 << 30 : c == 2 ? Integer.MAX_VALUE : (1 << 30) + r.nextInt(1 << 30);
                shifts[c] = -r.nextInt(round < 6 ? 12 : 31);
                bias[c] = r.nextInt(2001) - 1000;
            }
            int offset = r.nextInt(256) - 128;
            int min = round % 3 == 0 ? Math.max(-128, offset) : -128;
            VectorRequant vr = new VectorRequant(channels, bias, multipliers, shifts, offset, min, 127);
            int[] acc = new int[vr.paddedChannels];
            int[] tmp = new int[vr.paddedChannels];
            byte[] out = new byte[channels];
            // Per channel, accumulators step through ~600 outputs' worth of range (saturating at both ends).
            long[] span = new long[channels];
            for (int c = 0; c < channels; c++) {
                span[c] = Math.min(1L << 30, multipliers[c] == 0 ? 1000 : (600L << (31 - shifts[c])) / multipliers[c]);
            }
            int steps = 200_000;
            for (int i = 0; i < steps; i++) {
                for (int c = 0; c < channels; c++) {
                    long stride = Math.max(1, 2 * span[c] / steps);
                    acc[c] = (int) (-span[c] + i * stride + r.nextInt((int) Math.min(stride, 1 << 20)));
                }
                vr.apply(acc, 0, tmp, 0, out, 0);
                for (int c = 0; c < channels; c++) {
                    byte scalar = Requant.toInt8(acc[c] + bias[c], multipliers[c], shifts[c], offset, min, 127);
                    if (scalar != out[c]) {
                        assertEquals(scalar, out[c], "acc " + acc[c] + " bias " + bias[c] + " multiplier " + multipliers[c]
                                + " shift " + shifts[c] + " offset " + offset);
                    }
                    checked++;
                }
            }
        }
        System.out.println("VectorRequantTest: " + checked + " accumulators over whole ranges, vector == scalar");
    }

    private static VectorRequant ties(int maxRightShift, int outputOffset, int min, int max) {
        assumeTrue(VectorSupport.available(), "module jdk.incubator.vector absent: vector output stage not tested");
        Random r = new Random(3);
        int channels = 48;
        int[] multipliers = new int[channels];
        int[] shifts = new int[channels];
        for (int c = 0; c < channels; c++) {
            multipliers[c] = c % 3 == 0 ? 1 << 30 : c % 3 == 1 ? (1 << 30) + 1 : Integer.MAX_VALUE;
            shifts[c] = -(c % (maxRightShift + 1)); // right shifts 0..maxRightShift
        }
        int[] bias = new int[channels];
        VectorRequant vr = new VectorRequant(channels, bias, multipliers, shifts, outputOffset, min, max);
        int[] acc = new int[vr.paddedChannels];
        int[] tmp = new int[vr.paddedChannels];
        byte[] vector = new byte[channels];
        int checked = 0;
        for (int trial = 0; trial < 20000; trial++) {
            for (int c = 0; c < channels; c++) {
                int rs = -shifts[c];
                long unit = 1L << (rs + 1); // acc per output step at multiplier ~0.5
                long t = r.nextInt(240) - 120;
                long[] deltas = {0, 1, -1, unit / 2, -unit / 2, unit / 4, -unit / 4, unit / 4 + 1, unit / 4 - 1,
                        -unit / 4 + 1, -unit / 4 - 1, unit / 2 - 1, -unit / 2 + 1};
                long x = t * unit + deltas[r.nextInt(deltas.length)];
                if (trial % 97 == 0) {
                    x = r.nextInt(); // anywhere, saturated or not
                }
                acc[c] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, x));
            }
            vr.apply(acc, 0, tmp, 0, vector, 0);
            for (int c = 0; c < channels; c++) {
                byte scalar = Requant.toInt8(acc[c], multipliers[c], shifts[c], outputOffset, min, max);
                assertEquals(scalar, vector[c], "acc " + acc[c] + " multiplier " + multipliers[c] + " shift " + shifts[c]);
                checked++;
            }
        }
        System.out.println("VectorRequantTest: " + checked + " crafted accumulators, vector == scalar ("
                + (vr.doubleLanes() ? "double" : "long") + " lanes, right shifts 0.." + maxRightShift + ")");
        return vr;
    }
}
