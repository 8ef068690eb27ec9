package dev.edgeq.converter.quantize;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.dataset.LabeledImages;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import java.util.Arrays;

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
            int decisionTensor, float[][] decisionValues, Workers workers, Progress progress) throws ConversionException {
        int n = floatModel.tensors().size();
        // per worker: its own interpreter, buffers and statistics, merged in worker order afterwards
        // (min, max and counts are exact, so the merged statistics do not depend on the split)
        int w = workers.count();
        TensorStatistics[][] partial = new TensorStatistics[w][n];
        // one buffer per worker, each tensor read into it in turn: a copy of every activation per
        // worker would cost as much as the interpreter's preserved tensors again
        int largest = 0;
        for (TensorInfo t : floatModel.tensors()) {
            largest = t.isConstant() ? largest : Math.max(largest, t.elementCount());
        }
        float[][] buffers = new float[w][largest];
        Interpreter[] interpreters = new Interpreter[w];
        try {
            for (int k = 0; k < w; k++) {
                interpreters[k] = Interpreter.create(floatModel, Interpreter.Options.builder().preserveAllTensors(true).build());
                for (TensorInfo t : floatModel.tensors()) {
                    if (!t.isConstant()) {
                        partial[k][t.index()] = new TensorStatistics();
                    }
                }
            }
        } catch (ModelFormatException e) {
            throw new ConversionException("calibration: the float model cannot run: " + e.getMessage(), e);
        }
        TensorStatistics[] stats = partial[0];
        boolean histograms = options.method() != CalibrationMethod.MINMAX;
        byte[][] pixels = new byte[w][images.height() * images.width() * images.channels()];
        for (int pass = 0; pass < (histograms ? 2 : 1); pass++) {
            int p = pass;
            if (pass == 1) {
                for (int k = 0; k < w; k++) {
                    for (int t = 0; t < n; t++) {
                        if (partial[k][t] != null) {
                            partial[k][t].startHistogram(options.histogramBins(), stats[t]);
                        }
                    }
                }
            }
            progress.start(histograms ? "calibration pass " + (pass + 1) + "/2" : "calibration", count);
            workers.forEachImage(count, (k, image) -> {
                Interpreter it = interpreters[k];
                images.pixels(image, pixels[k], 0);
                it.setInputPixels(pixels[k], 0);
                it.run();
                for (int t = 0; t < n; t++) {
                    TensorStatistics s = partial[k][t];
                    if (s == null) {
                        continue;
                    }
                    float[] b = buffers[k];
                    int size = floatModel.tensor(t).elementCount();
                    it.readTensor(t, b);
                    if (p == 0) {
                        s.observeRange(b, size);
                        if (t == decisionTensor) {
                            decisionValues[image] = Arrays.copyOf(b, size);
                        }
                    } else {
                        s.observeHistogram(b, size);
                    }
                }
                progress.step();
            });
            for (int k = 1; k < w; k++) {
                for (int t = 0; t < n; t++) {
                    if (stats[t] != null) {
                        stats[t].merge(partial[k][t], p == 0);
                    }
                }
            }
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
