package dev.edgeq.converter.quantize;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.dataset.LabeledImages;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;

/**
 * Runs the float model through the runtime's own Interpreter (no second implementation of any op)
 * over the calibration images, fed as raw pixels with {@link Interpreter#setInputPixels} so the
 * model's mean/std is applied exactly as on the device, and collects every activation tensor's
 * statistics: pass 1 the exact min/max, pass 2 (percentile and mse only) a histogram over it.
 */
final class Calibrator {
    private Calibrator() {}

    /**
     * Statistics per tensor index of the float model (null for constants); when
     * {@code decisionTensor >= 0}, also copies that tensor's values for every image into
     * {@code decisionValues[image]}.
     */
    static TensorStatistics[] collect(Model floatModel, LabeledImages images, int count, QuantizeOptions options,
            int decisionTensor, float[][] decisionValues) throws ConversionException {
        int n = floatModel.tensors().size();
        TensorStatistics[] stats = new TensorStatistics[n];
        float[][] buffers = new float[n][];
        for (TensorInfo t : floatModel.tensors()) {
            if (!t.isConstant()) {
                stats[t.index()] = new TensorStatistics();
                buffers[t.index()] = new float[t.elementCount()];
            }
        }
        boolean histograms = options.method() != CalibrationMethod.MINMAX;
        try (Interpreter it = Interpreter.create(floatModel, Interpreter.Options.builder().preserveAllTensors(true).build())) {
            byte[] pixels = new byte[images.height() * images.width() * images.channels()];
            for (int pass = 0; pass < (histograms ? 2 : 1); pass++) {
                if (pass == 1) {
                    for (TensorStatistics s : stats) {
                        if (s != null) {
                            s.startHistogram(options.histogramBins());
                        }
                    }
                }
                for (int image = 0; image < count; image++) {
                    images.pixels(image, pixels, 0);
                    it.setInputPixels(pixels, 0);
                    it.run();
                    for (int t = 0; t < n; t++) {
                        if (stats[t] == null) {
                            continue;
                        }
                        it.readTensor(t, buffers[t]);
                        if (pass == 0) {
                            stats[t].observeRange(buffers[t], buffers[t].length);
                            if (t == decisionTensor) {
                                decisionValues[image] = buffers[t].clone();
                            }
                        } else {
                            stats[t].observeHistogram(buffers[t], buffers[t].length);
                        }
                    }
                }
            }
        } catch (ModelFormatException e) {
            throw new ConversionException("calibration: the float model cannot run: " + e.getMessage(), e);
        }
        for (int t = 0; t < n; t++) {
            TensorStatistics s = stats[t];
            if (s != null && s.nonFinite() > 0) {
                throw new ConversionException("calibration: tensor " + floatModel.tensor(t).describe() + " took "
                        + s.nonFinite() + " non-finite values (NaN or infinity) on " + images.description());
            }
        }
        return stats;
    }
}
