package dev.edgeq.converter.quantize;

import dev.edgeq.runtime.quant.QuantizedMultiplier;

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

    /** Fractions of the statistics-based range tried for the decision tensor, per side. */
    private static final double[] ARGMAX_FRACTIONS = {1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4};

    /**
     * How many standard deviations a narrower range's net gain in top-1 agreement over the full
     * range must exceed: with d images on which the two disagree and no real difference between
     * them, wins minus losses has mean 0 and standard deviation sqrt(d) (a sign test). Narrowing
     * clips logits, so it must pay for that with a gain the calibration set can tell from chance:
     * on 8 calibration images a 5-of-8 to 7-of-8 "gain" is chance, and taking it cut a 1000-class
     * model's logit SQNR from 44 dB to 15 dB (alexnet at ModelZooTest's CI size).
     */
    private static final double ARGMAX_SIGNIFICANCE = 2.0;

    /**
     * The range of the decision tensor (the logits whose argmax is the answer), chosen for top-1
     * fidelity rather than for squared error: 8-bit logits with a step of range/255 reorder or tie
     * classes whose float margin is below the step, so a narrower range (a finer step, saturating
     * only confident winners) keeps more top-1 decisions. Each side of {@code [lo, hi]} is scaled by
     * the fractions above; among the full range and the narrower ones whose gain over it is
     * significant ({@link #ARGMAX_SIGNIFICANCE}), the range whose simulated rounding of the
     * calibration outputs agrees with the float top-1 most often wins, the widest among equals (the
     * safe side of the cliff where two saturated classes tie).
     *
     * @param outputs the float model's decision tensor per calibration image
     * @return {lo, hi, agreement} with agreement the fraction of calibration images whose top-1
     *     survives the simulated quantization
     */
    static double[] forArgmax(float[][] outputs, double lo, double hi) {
        boolean[] full = top1Survives(outputs, lo, hi);
        double bestLo = lo;
        double bestHi = hi;
        int bestAgree = count(full);
        double bestWidth = hi - lo;
        for (double fl : ARGMAX_FRACTIONS) {
            for (double fh : ARGMAX_FRACTIONS) {
                boolean[] survives = top1Survives(outputs, lo * fl, hi * fh);
                int wins = 0;
                int losses = 0;
                for (int i = 0; i < survives.length; i++) {
                    wins += survives[i] && !full[i] ? 1 : 0;
                    losses += full[i] && !survives[i] ? 1 : 0;
                }
                if (wins - losses <= ARGMAX_SIGNIFICANCE * Math.sqrt(wins + losses)) {
                    continue;
                }
                int agree = count(survives);
                double width = hi * fh - lo * fl;
                if (agree > bestAgree || (agree == bestAgree && width > bestWidth)) {
                    bestAgree = agree;
                    bestWidth = width;
                    bestLo = lo * fl;
                    bestHi = hi * fh;
                }
            }
        }
        return new double[] {bestLo, bestHi, outputs.length == 0 ? 1.0 : (double) bestAgree / outputs.length};
    }

    /** Per output: whether its argmax is unchanged by int8 quantization to [lo, hi]. */
    private static boolean[] top1Survives(float[][] outputs, double lo, double hi) {
        QuantParams p = QuantParams.fromRange(lo, hi);
        boolean[] survives = new boolean[outputs.length];
        float[] q = new float[outputs.length == 0 ? 0 : outputs[0].length];
        for (int i = 0; i < outputs.length; i++) {
            float[] out = outputs[i];
            for (int k = 0; k < out.length; k++) {
                long v = QuantizedMultiplier.roundHalfAwayFromZero(out[k] / p.scale()) + p.zeroPoint();
                q[k] = Math.max(-128, Math.min(127, v));
            }
            survives[i] = argmax(q) == argmax(out);
        }
        return survives;
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return n;
    }

    /** Index of the largest value; the first on ties (as the Classifier). */
    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
