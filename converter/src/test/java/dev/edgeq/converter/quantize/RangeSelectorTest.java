package dev.edgeq.converter.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.runtime.quant.QuantizedMultiplier;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RangeSelectorTest {
    /** 100,000 Gaussian values (sigma 1) plus a few far outliers at +-40. */
    private static TensorStatistics gaussianWithOutliers(int bins) {
        Random r = new Random(3);
        float[] v = new float[100_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        v[0] = 40f;
        v[1] = -40f;
        v[2] = 39f;
        TensorStatistics s = new TensorStatistics();
        s.observeRange(v, v.length);
        s.startHistogram(bins);
        s.observeHistogram(v, v.length);
        return s;
    }

    private static QuantizeOptions options(CalibrationMethod m) {
        return QuantizeOptions.defaults().withMethod(m);
    }

    @Test
    void minmaxKeepsTheObservedExtremes() {
        double[] r = RangeSelector.select(gaussianWithOutliers(2048), options(CalibrationMethod.MINMAX));
        assertEquals(-40, r[0], 1e-6);
        assertEquals(40, r[1], 1e-6);
    }

    @Test
    void percentileClipsTheOutliers() {
        TensorStatistics s = gaussianWithOutliers(4096);
        double[] r = RangeSelector.select(s, options(CalibrationMethod.PERCENTILE).withPercentile(99.9));
        // the 99.9th percentile of N(0,1) is 3.09 (histogram bins are 80/4096 = 0.02 wide)
        assertEquals(3.09, r[1], 0.1);
        assertEquals(-3.09, r[0], 0.1);
        double[] all = RangeSelector.select(s, options(CalibrationMethod.PERCENTILE).withPercentile(100));
        assertEquals(40, all[1], 0.05);
    }

    @Test
    void mseFindsTheRangeWithTheSmallestQuantizationError() {
        Random r = new Random(5);
        float[] laplace = new float[200_000];
        for (int i = 0; i < laplace.length; i++) {
            double u = r.nextDouble() - 0.5;
            laplace[i] = (float) (-Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
        }
        TensorStatistics heavy = new TensorStatistics();
        heavy.observeRange(laplace, laplace.length);
        heavy.startHistogram(4096);
        heavy.observeHistogram(laplace, laplace.length);
        for (TensorStatistics s : new TensorStatistics[] {heavy, gaussianWithOutliers(4096)}) {
            double[] best = RangeSelector.select(s, options(CalibrationMethod.MSE));
            double bestError = expectedError(s, best);
            for (double[] other : new double[][] {
                    RangeSelector.select(s, options(CalibrationMethod.MINMAX)),
                    RangeSelector.select(s, options(CalibrationMethod.PERCENTILE).withPercentile(99.9)),
                    RangeSelector.select(s, options(CalibrationMethod.PERCENTILE).withPercentile(99.99)),
                    {best[0] * 0.8, best[1] * 0.8}, {best[0] * 1.25, best[1] * 1.25}}) {
                assertTrue(bestError <= expectedError(s, other) * 1.01, "mse range [" + best[0] + ", " + best[1]
                        + "] error " + bestError + " vs [" + other[0] + ", " + other[1] + "] " + expectedError(s, other));
            }
        }
        // a heavy tail gets clipped: the few largest values cost less than a coarser step for all
        double[] clipped = RangeSelector.select(heavy, options(CalibrationMethod.MSE));
        assertTrue(clipped[1] < 0.9 * heavy.max() && clipped[0] > 0.9 * heavy.min(),
                "[" + clipped[0] + ", " + clipped[1] + "] within [" + heavy.min() + ", " + heavy.max() + "]");
    }

    @Test
    void argmaxRangeTradesSaturatedWinnersForAFinerStep() {
        // 1000 outputs of 10 classes: a clear winner at 20 in some, two close classes (margin 0.05
        // to 0.08, the runner-up first so that a tie picks it) near 3 in most. The full range
        // [-20, 20] has a step of 0.157 and ties them; a narrower one separates them while 20
        // saturates harmlessly.
        Random r = new Random(9);
        float[][] outputs = new float[1000][10];
        for (float[] o : outputs) {
            for (int k = 0; k < 10; k++) {
                o[k] = (float) (r.nextGaussian() - 4);
            }
            if (r.nextInt(10) == 0) {
                o[r.nextInt(10)] = 20f;
                o[0] = -20f;
            } else {
                int a = r.nextInt(10);
                o[a] = 3f + (float) r.nextDouble();
                o[(a + 9) % 10] = o[a] - 0.05f - 0.03f * (float) r.nextDouble();
            }
        }
        double[] full = RangeSelector.forArgmax(outputs, -20, 20);
        assertTrue(full[2] > 0.97, "agreement " + full[2]);
        assertTrue(full[1] < 20 && full[1] > 3.5, "hi " + full[1]);
        // and the agreement is really measured: the full range loses the close pairs
        double wide = agreement(outputs, -20, 20);
        assertTrue(wide < full[2] - 0.1, "full range agreement " + wide + " vs chosen " + full[2]);
    }

    @Test
    void argmaxRangeIgnoresAGainTheCalibrationSetCannotTellFromChance() {
        // 8 outputs: 6 clear winners, and 2 whose classes 0 and 1 (0.31 and 0.313) share an int8
        // level in [-1, 1] (a tie picks the runner-up) but not in [-0.4, 1]. 2 of 8 is no evidence
        // that clipping the low side helps: the full range stays.
        float[][] outputs = new float[8][10];
        for (int i = 0; i < outputs.length; i++) {
            Arrays.fill(outputs[i], -0.9f);
            if (i < 2) {
                outputs[i][0] = 0.31f;
                outputs[i][1] = 0.313f;
            } else {
                outputs[i][i] = 0.9f;
            }
        }
        assertEquals(1.0, agreement(outputs, -0.4, 1), "the narrower range does keep every top-1");
        double[] r = RangeSelector.forArgmax(outputs, -1, 1);
        assertEquals(-1.0, r[0]);
        assertEquals(1.0, r[1]);
        assertEquals(0.75, r[2]);
    }

    /** Fraction of outputs whose argmax survives int8 quantization to [lo, hi]. */
    private static double agreement(float[][] outputs, double lo, double hi) {
        QuantParams p = QuantParams.fromRange(lo, hi);
        int agree = 0;
        for (float[] o : outputs) {
            float[] q = new float[o.length];
            for (int k = 0; k < o.length; k++) {
                q[k] = Math.max(-128, Math.min(127, QuantizedMultiplier.roundHalfAwayFromZero(o[k] / p.scale()) + p.zeroPoint()));
            }
            agree += RangeSelector.argmax(q) == RangeSelector.argmax(o) ? 1 : 0;
        }
        return (double) agree / outputs.length;
    }

    @Test
    void rangesAlwaysContainZero() {
        TensorStatistics positive = new TensorStatistics();
        float[] v = {2f, 3f, 5f, 4f};
        positive.observeRange(v, v.length);
        positive.startHistogram(64);
        positive.observeHistogram(v, v.length);
        for (CalibrationMethod m : CalibrationMethod.values()) {
            double[] r = RangeSelector.select(positive, options(m));
            assertEquals(0.0, r[0], m.toString());
            assertTrue(r[1] > 0 && r[1] <= 5, m + " hi " + r[1]);
        }
        QuantParams p = QuantParams.fromRange(2, 5);
        assertEquals(-128, p.zeroPoint());
        assertEquals(5 / 255.0, p.scale(), 1e-7);
        QuantParams constant = QuantParams.fromRange(0, 0);
        assertTrue(constant.scale() > 0, "an all-zero tensor still gets a positive scale");
        QuantParams symmetric = QuantParams.fromRange(-1, 1);
        assertEquals(0.0, symmetric.scale() * (symmetric.zeroPoint() - symmetric.zeroPoint()), 0.0);
        assertEquals(0, symmetric.zeroPoint(), 1, "zero point near the middle");
    }

    /** Expected squared error of quantizing the histogram's values to 8 bits over [lo, hi] (exact, per value). */
    private static double expectedError(TensorStatistics s, double[] r) {
        QuantParams p = QuantParams.fromRange(r[0], r[1]);
        double e = 0;
        long[] h = s.histogram();
        for (int i = 0; i < h.length; i++) {
            double x = s.binCenter(i);
            long q = Math.max(-128, Math.min(127, QuantizedMultiplier.roundHalfAwayFromZero(x / p.scale()) + p.zeroPoint()));
            double back = p.scale() * (q - p.zeroPoint());
            e += h[i] * (x - back) * (x - back);
        }
        return e;
    }
}
