package dev.edgeq.converter.quantize;

import java.util.Locale;

/** How an activation's observed distribution becomes the clipping range that gets 8 bits. */
public enum CalibrationMethod {
    /** The observed minimum and maximum: nothing is clipped, outliers widen the step. */
    MINMAX,
    /**
     * The {@code p}-th and {@code (100 - p)}-th percentiles of the observed values (histogram
     * based): the rare extreme values saturate, the rest gets a finer step.
     */
    PERCENTILE,
    /**
     * The range minimising the expected squared quantization error over the observed histogram:
     * the clipping error of values outside plus the rounding noise (step^2 / 12) of values inside.
     */
    MSE;

    /** "minmax", "percentile" or "mse" (any case). */
    public static CalibrationMethod parse(String name) {
        for (CalibrationMethod m : values()) {
            if (m.cliName().equals(name.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("calibration method '" + name + "': expected minmax, percentile or mse");
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
