package dev.edgeq.runtime.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The blocked convolutions' chunking and weight order, shared by the float and the int8 kernels. */
class FmaConvTest {

    @Test
    void chunksCutEveryBoundAndThenEveryChunkLength() {
        assumeTrue(VectorSupport.available(), "module jdk.incubator.vector absent");
        assertArrayEquals(new int[] {0, 128, 256, 300, 310, 438, 500}, FmaConv.chunks(new int[] {0, 300, 310, 500}, 128));
        assertArrayEquals(new int[] {0, 9}, FmaConv.chunks(new int[] {0, 9}, 128));
        assertArrayEquals(new int[] {0, 128, 256}, FmaConv.chunks(new int[] {0, 256}, 128));
    }

    @Test
    void bySlicesPutsEveryWeightWhereSliceStartSaysAndLosesNone() {
        assumeTrue(VectorSupport.available(), "module jdk.incubator.vector absent");
        Random r = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int taps = 1 + r.nextInt(400);
            int ocp = FmaTiles.LANES * (1 + r.nextInt(8));
            int[] bounds = r.nextBoolean() ? new int[] {0, taps} : new int[] {0, taps / 3, taps};
            if (bounds.length == 3 && bounds[1] == 0) {
                bounds = new int[] {0, taps};
            }
            int[] chunks = FmaConv.chunks(bounds, 1 + r.nextInt(150));
            float[] rows = new float[taps * ocp];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = i; // each weight names its own [tap][oc] position
            }
            float[] w = FmaConv.bySlices(rows, chunks, ocp);
            int slice = FmaConv.SLICE_VECTORS * FmaTiles.LANES;
            boolean[] seen = new boolean[rows.length];
            for (int c = 0; c + 1 < chunks.length; c++) {
                int t0 = chunks[c];
                int t1 = chunks[c + 1];
                for (int oc = 0; oc < ocp; oc += slice) {
                    int width = Math.min(ocp, oc + slice) - oc;
                    int start = FmaConv.sliceStart(t0, t1, oc, ocp);
                    for (int t = t0; t < t1; t++) {
                        for (int j = 0; j < width; j++) {
                            float v = w[start + (t - t0) * width + j];
                            assertEquals(t * ocp + oc + j, (int) v, "tap " + t + ", channel " + (oc + j));
                            seen[(int) v] = true;
                        }
                    }
                }
            }
            for (int i = 0; i < seen.length; i++) {
                assertEquals(true, seen[i], "weight " + i + " of " + taps + " x " + ocp + " placed");
            }
        }
    }

    @Test
    void exactSumsBecomeTheirIntegersStoredOrAdded() {
        assumeTrue(VectorSupport.available(), "module jdk.incubator.vector absent");
        int n = 3 * FmaTiles.LANES + 5; // whole vectors and a tail
        float[] f = new float[n + 2];
        int[] s = new int[n + 3];
        int[] expected = new int[n + 3];
        int[] values = new int[n];
        Random r = new Random(11);
        for (int i = 0; i < n; i++) {
            values[i] = r.nextInt(1 << 23) - (1 << 22); // an exact sum's range around EXACT_BASE
            f[2 + i] = FmaTiles.EXACT_BASE + values[i];
            s[3 + i] = r.nextInt();
            expected[3 + i] = s[3 + i] + values[i]; // wrapping, as the reference's int32 sums
        }
        FmaTiles.exactSumsToInts(f, 2, s, 3, n, true);
        assertArrayEquals(expected, s, "added");
        FmaTiles.exactSumsToInts(f, 2, s, 3, n, false);
        for (int i = 0; i < n; i++) {
            // stored as bits: the value plus EXACT_BASE_BITS, which biasForExactSums takes back
            assertEquals(values[i] + FmaTiles.EXACT_BASE_BITS, s[3 + i], "stored " + i);
        }
        assertEquals(expected[0], s[0], "nothing written before the range");
    }
}
