package dev.edgeq.converter.quantize;

/**
 * Turns a tensor's calibration statistics into the real range [lo, hi] that its 8 bits cover,
 * by the chosen {@link CalibrationMethod}. The range always contains 0 (so that 0, the value of
 * padding and of ReLU's lower half, is exact); see {@link QuantParams#fromRange}.
 */
final class RangeSelector {
    /** Candidate clipping points per side for the mse search. */
    private static final int MSE_STEPS = 256;

    private RangeSelector() {}

    /** {lo, hi} with lo <= 0 <= hi. */
    static double[] select(TensorStatistics s, QuantizeOptions o) {
        double lo = Math.min(0.0, s.min());
        double hi = Math.max(0.0, s.max());
        if (s.count() == 0 || !s.hasHistogram() || s.max() <= s.min() || o.method() == CalibrationMethod.MINMAX) {
            return new double[] {lo, hi};
        }
        if (o.method() == CalibrationMethod.PERCENTILE) {
            double upper = percentile(s, o.percentile() / 100.0);
            double lower = percentile(s, 1.0 - o.percentile() / 100.0);
            return new double[] {Math.min(0.0, Math.max(lo, lower)), Math.max(0.0, Math.min(hi, upper))};
        }
        return mse(s, lo, hi);
    }

    /** The value below which a fraction {@code q} of the observations lie (linear within a bin). */
    static double percentile(TensorStatistics s, double q) {
        long[] h = s.histogram();
        double target = q * s.count();
        double cumulative = 0;
        for (int i = 0; i < h.length; i++) {
            if (cumulative + h[i] >= target && h[i] > 0) {
                double within = (target - cumulative) / h[i];
                return s.histogramLow() + (i + Math.max(0.0, Math.min(1.0, within))) * s.binWidth();
            }
            cumulative += h[i];
        }
        return s.max();
    }

    /**
     * Grid search over clipping points {@code lo * j / N} and {@code hi * k / N} minimising
     * clipping error (exact over the bin centers) plus rounding noise ({@code step^2 / 12} per value
     * inside). Prefix sums of count, x and x^2 make each candidate O(1).
     */
    static double[] mse(TensorStatistics s, double lo, double hi) {
        long[] h = s.histogram();
        int n = h.length;
        double[] c0 = new double[n + 1];
        double[] c1 = new double[n + 1];
        double[] c2 = new double[n + 1];
        for (int i = 0; i < n; i++) {
            double x = s.binCenter(i);
            c0[i + 1] = c0[i] + h[i];
            c1[i + 1] = c1[i] + h[i] * x;
            c2[i + 1] = c2[i] + h[i] * x * x;
        }
        int loSteps = lo < 0 ? MSE_STEPS : 0;
        int hiSteps = hi > 0 ? MSE_STEPS : 0;
        double bestError = Double.POSITIVE_INFINITY;
        double bestLo = lo;
        double bestHi = hi;
        for (int j = loSteps == 0 ? 0 : 1; j <= loSteps; j++) {
            double a = loSteps == 0 ? 0.0 : lo * j / loSteps;
            int first = firstBinAtOrAbove(s, a); // bins [0, first) are clipped at a
            double below = c2[first] - 2 * a * c1[first] + a * a * c0[first];
            for (int k = hiSteps == 0 ? 0 : 1; k <= hiSteps; k++) {
                double b = hiSteps == 0 ? 0.0 : hi * k / hiSteps;
                int end = firstBinAbove(s, b); // bins [end, n) are clipped at b
                double above = (c2[n] - c2[end]) - 2 * b * (c1[n] - c1[end]) + b * b * (c0[n] - c0[end]);
                double inside = Math.max(0.0, c0[Math.max(end, first)] - c0[first]);
                double step = (b - a) / 255.0;
                double error = below + above + inside * step * step / 12.0;
                if (error < bestError) {
                    bestError = error;
                    bestLo = a;
                    bestHi = b;
                }
            }
        }
        return new double[] {bestLo, bestHi};
    }

    /** Index of the first bin whose center is >= v (n if none). */
    private static int firstBinAtOrAbove(TensorStatistics s, double v) {
        int n = s.histogram().length;
        int i = (int) Math.ceil((v - s.histogramLow()) / s.binWidth() - 0.5);
        return Math.max(0, Math.min(n, i));
    }

    /** Index of the first bin whose center is > v (n if none). */
    private static int firstBinAbove(TensorStatistics s, double v) {
        int n = s.histogram().length;
        int i = (int) Math.floor((v - s.histogramLow()) / s.binWidth() - 0.5) + 1;
        return Math.max(0, Math.min(n, i));
    }
}
