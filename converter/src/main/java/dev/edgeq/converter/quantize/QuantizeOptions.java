package dev.edgeq.converter.quantize;

/**
 * Settings of post-training quantization; {@link #defaults()} is what {@code edgeq convert} uses.
 *
 * @param method how activation ranges are chosen from the calibration statistics
 * @param percentile for {@link CalibrationMethod#PERCENTILE}: the upper percentile kept, in (50, 100]
 *     (the lower one is {@code 100 - percentile}); default 99.99
 * @param histogramBins bins per tensor histogram (percentile, mse); default 2048
 * @param calibrationLimit use at most this many calibration images (0: all)
 * @param floatOutputLayer run the layer that computes the logits in float (the model then outputs
 *     float logits; its input is dequantized) instead of emitting int8 logits
 * @param biasCorrection correct each conv/dense layer's int32 bias by its mean output error on
 *     (up to {@value #BIAS_CORRECTION_IMAGES} of, and no more than {@link #BIAS_CORRECTION_BYTES} of
 *     activations hold) the calibration images ({@link BiasCorrection})
 * @param threads threads that calibration images are spread over (0: one per available processor);
 *     the result is the same, byte for byte, whatever the number
 */
public record QuantizeOptions(CalibrationMethod method, double percentile, int histogramBins, int calibrationLimit,
        boolean floatOutputLayer, boolean biasCorrection, int threads) {
    public static final double DEFAULT_PERCENTILE = 99.99;
    public static final int DEFAULT_BINS = 2048;
    /** Calibration images bias correction measures each layer on. */
    public static final int BIAS_CORRECTION_IMAGES = 250;
    /**
     * At most this many bytes of activations bias correction keeps for its images, which it steps
     * layer by layer all at once: 1 GiB, so that conversion fits a small machine whatever the image
     * count. A large model at 224 px then corrects on fewer images (bytes per image at the peak:
     * MobileNetV2 7.5 MB, 142 images; ResNet-50 10.8 MB, 99; VGG-11 18.5 MB, 58); the 28x28 bundled
     * models keep all {@value #BIAS_CORRECTION_IMAGES}. The number depends on the model only, never on
     * the machine or the thread count.
     */
    public static final long BIAS_CORRECTION_BYTES = 1L << 30;
    /** The default method, chosen by measuring accuracy on the bundled models (percentile 99.99 with bias correction; see the README). */
    public static final CalibrationMethod DEFAULT_METHOD = CalibrationMethod.PERCENTILE;

    public QuantizeOptions {
        if (method == null) {
            throw new IllegalArgumentException("calibration method is required");
        }
        if (!(percentile > 50.0 && percentile <= 100.0)) {
            throw new IllegalArgumentException("percentile must be in (50, 100], got " + percentile);
        }
        if (histogramBins < 16 || histogramBins > 1 << 20) {
            throw new IllegalArgumentException("histogram bins must be in [16, 1048576], got " + histogramBins);
        }
        if (calibrationLimit < 0) {
            throw new IllegalArgumentException("calibration limit must be >= 0, got " + calibrationLimit);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0: one per processor), got " + threads);
        }
    }

    public static QuantizeOptions defaults() {
        return new QuantizeOptions(DEFAULT_METHOD, DEFAULT_PERCENTILE, DEFAULT_BINS, 0, false, true, 0);
    }

    public QuantizeOptions withMethod(CalibrationMethod m) {
        return new QuantizeOptions(m, percentile, histogramBins, calibrationLimit, floatOutputLayer, biasCorrection, threads);
    }

    public QuantizeOptions withPercentile(double p) {
        return new QuantizeOptions(method, p, histogramBins, calibrationLimit, floatOutputLayer, biasCorrection, threads);
    }

    public QuantizeOptions withHistogramBins(int bins) {
        return new QuantizeOptions(method, percentile, bins, calibrationLimit, floatOutputLayer, biasCorrection, threads);
    }

    public QuantizeOptions withCalibrationLimit(int limit) {
        return new QuantizeOptions(method, percentile, histogramBins, limit, floatOutputLayer, biasCorrection, threads);
    }

    public QuantizeOptions withFloatOutputLayer(boolean v) {
        return new QuantizeOptions(method, percentile, histogramBins, calibrationLimit, v, biasCorrection, threads);
    }

    public QuantizeOptions withBiasCorrection(boolean v) {
        return new QuantizeOptions(method, percentile, histogramBins, calibrationLimit, floatOutputLayer, v, threads);
    }

    public QuantizeOptions withThreads(int n) {
        return new QuantizeOptions(method, percentile, histogramBins, calibrationLimit, floatOutputLayer, biasCorrection, n);
    }

    /** "minmax", "percentile 99.99" or "mse", for reports. */
    public String describeMethod() {
        String m = method == CalibrationMethod.PERCENTILE ? "percentile " + percentile : method.cliName();
        m = biasCorrection ? m + ", bias correction" : m;
        return floatOutputLayer ? m + ", float output layer" : m;
    }
}
