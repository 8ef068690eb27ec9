package dev.edgeq.converter.quantize;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.dataset.LabeledImages;
import dev.edgeq.format.DataType;
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
        // the model runs one operator at a time and each output is read into the worker's one buffer
        // right after its operator, while it is still in the arena: no preserved tensors and no
        // copies, so a worker needs the memory of one inference, not of every activation
        int largest = 0;
        for (TensorInfo t : floatModel.tensors()) {
            if (!t.isConstant() && t.type() != DataType.FLOAT32) {
                throw new ConversionException("calibration: tensor " + t.describe() + " of the float model is not FLOAT32");
            }
            largest = t.isConstant() ? largest : Math.max(largest, t.elementCount());
        }
        float[][] buffers = new float[w][largest];
        Interpreter[] interpreters = new Interpreter[w];
        try {
            for (int k = 0; k < w; k++) {
                interpreters[k] = Interpreter.create(floatModel);
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
                observe(it, floatModel.input().index(), partial[k], buffers[k], p, decisionTensor, decisionValues, image);
                for (int op = 0; op < floatModel.operatorCount(); op++) {
                    it.runOperator(op);
                    for (int t : floatModel.operator(op).getOutputsList()) {
                        observe(it, t, partial[k], buffers[k], p, decisionTensor, decisionValues, image);
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

    /** Pass {@code pass}'s statistics of tensor {@code t}, read from the arena right after it was written. */
    private static void observe(Interpreter it, int t, TensorStatistics[] statistics, float[] buffer, int pass,
            int decisionTensor, float[][] decisionValues, int image) {
        TensorStatistics s = statistics[t];
        if (s == null) {
            return;
        }
        int size = it.model().tensor(t).elementCount();
        it.readTensorRaw(t, buffer);
        if (pass == 0) {
            s.observeRange(buffer, size);
            if (t == decisionTensor) {
                decisionValues[image] = Arrays.copyOf(buffer, size);
            }
        } else {
            s.observeHistogram(buffer, size);
        }
    }
}
