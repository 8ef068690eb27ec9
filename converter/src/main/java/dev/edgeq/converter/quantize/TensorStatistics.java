package dev.edgeq.converter.quantize;

/**
 * What calibration saw of one activation tensor over all calibration images: the exact minimum and
 * maximum (first pass) and a histogram of every value over [min, max] (second pass), from which
 * {@link RangeSelector} picks the clipping range. Not thread-safe: one per thread, then {@link #merge}.
 */
final class TensorStatistics {
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private long count;
    private long nonFinite;
    private long[] histogram;
    private double histogramLow;
    private double binWidth;

    /** First pass: extend min and max with {@code values[0..n)}. */
    void observeRange(float[] values, int n) {
        double lo = min;
        double hi = max;
        for (int i = 0; i < n; i++) {
            float v = values[i];
            if (v < lo) {
                lo = v;
            }
            if (v > hi) {
                hi = v;
            }
            if (!Float.isFinite(v)) {
                nonFinite++;
            }
        }
        min = lo;
        max = hi;
        count += n;
    }

    /** Between the passes: fixes the histogram's bins over the observed [min, max]. */
    void startHistogram(int bins) {
        startHistogram(bins, this);
    }

    /**
     * Between the passes: fixes the histogram's bins over {@code range}'s observed [min, max] (all
     * images' range, when each thread counts its own images into its own histogram).
     */
    void startHistogram(int bins, TensorStatistics range) {
        histogram = new long[bins];
        histogramLow = range.min;
        double width = range.max - range.min;
        binWidth = width > 0 ? width / bins : 1.0;
    }

    /** Second pass: counts {@code values[0..n)} into the histogram. */
    void observeHistogram(float[] values, int n) {
        long[] h = histogram;
        int last = h.length - 1;
        double low = histogramLow;
        double inverse = 1.0 / binWidth;
        for (int i = 0; i < n; i++) {
            int bin = (int) ((values[i] - low) * inverse);
            h[bin < 0 ? 0 : bin > last ? last : bin]++;
        }
    }

    /**
     * Adds what {@code other} saw on other images: the range and counts after the first pass, the
     * histogram (over the same bins) after the second. Exact, so the order of merging does not matter.
     */
    void merge(TensorStatistics other, boolean firstPass) {
        if (firstPass) {
            min = Math.min(min, other.min);
            max = Math.max(max, other.max);
            count += other.count;
            nonFinite += other.nonFinite;
        } else {
            for (int i = 0; i < histogram.length; i++) {
                histogram[i] += other.histogram[i];
            }
        }
    }

    double min() { return min; }
    double max() { return max; }
    long count() { return count; }
    long nonFinite() { return nonFinite; }
    boolean hasHistogram() { return histogram != null; }
    long[] histogram() { return histogram; }
    double histogramLow() { return histogramLow; }
    double binWidth() { return binWidth; }

    /** Center of histogram bin {@code i}. */
    double binCenter(int i) {
        return histogramLow + (i + 0.5) * binWidth;
    }
}
