package dev.edgeq.converter.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.converter.dataset.LabeledImages;
import dev.edgeq.format.ModelFile;
import dev.edgeq.runtime.Model;
import org.junit.jupiter.api.Test;

/**
 * The runner's count of the bytes an image holds is what it really holds, a sweep over no image
 * counts the same, and bias correction takes only the images that fit its memory budget.
 */
class LayerwiseRunnerTest {
    @Test
    void countedBytesAreTheBytesEachImageHoldsAndNeedNoImage() throws Exception {
        Model model = Model.fromProto(QuantTestModels.kitchenSink(7));
        LabeledImages images = QuantTestModels.images(5, 16, 16, 1, 1);
        try (Workers workers = new Workers(2)) {
            LayerwiseRunner real = new LayerwiseRunner(model, images, 5, workers);
            LayerwiseRunner counting = new LayerwiseRunner(model, images, 0, workers);
            long peak = 0;
            for (int op = 0; op < model.operatorCount(); op++) {
                real.run(op);
                counting.run(op);
                peak = Math.max(peak, real.bytesPerImage());
                for (int image = 0; image < 5; image++) {
                    assertEquals(real.bytesHeldBy(image), real.bytesPerImage(), "image " + image + " after op " + op);
                }
                assertEquals(real.bytesPerImage(), counting.bytesPerImage(), "after op " + op);
                real.release(op);
                counting.release(op);
                assertEquals(real.bytesHeldBy(4), real.bytesPerImage(), "after releasing op " + op);
            }
            assertEquals(peak, real.peakBytesPerImage());
            assertTrue(peak > 16 * 16 * 4, "at least the float input: " + peak);
        }
    }

    @Test
    void biasCorrectionUsesTheImagesThatFitItsBudget() throws Exception {
        ModelFile f = QuantTestModels.kitchenSink(7);
        Model m = Model.fromProto(f);
        LabeledImages images = QuantTestModels.images(40, 16, 16, 1, 1);
        QuantizeOptions options = QuantizeOptions.defaults();
        try (Workers workers = new Workers(2)) {
            TensorStatistics[] stats = Calibrator.collect(m, images, 40, options, -1, new float[40][], workers, Progress.NONE);
            double[][] ranges = new double[stats.length][];
            double[][] observed = new double[stats.length][];
            for (int t = 0; t < stats.length; t++) {
                if (stats[t] != null) {
                    ranges[t] = RangeSelector.select(stats[t], options);
                    observed[t] = new double[] {Math.min(0.0, stats[t].min()), Math.max(0.0, stats[t].max())};
                }
            }
            GraphQuantizer.Result q = GraphQuantizer.quantize(f, m, ranges, observed, Quantizer.inputParams(m), false);
            long perImage = BiasCorrection.bytesPerImage(m, q.model(), q.origins(), images, workers);
            ModelFile budgeted = BiasCorrection.apply(m, q.model(), q.origins(), images, 40, perImage * 7 + perImage / 2,
                    workers, Progress.NONE);
            ModelFile seven = BiasCorrection.apply(m, q.model(), q.origins(), images, 7, Long.MAX_VALUE, workers, Progress.NONE);
            ModelFile all = BiasCorrection.apply(m, q.model(), q.origins(), images, 40, Long.MAX_VALUE, workers, Progress.NONE);
            assertEquals(seven, budgeted, "a budget of 7.5 images' activations: the first 7 images");
            assertNotEquals(all, budgeted);
            assertEquals(1, BiasCorrection.imagesWithin(perImage / 2, perImage, 40), "at least one image");
        }
    }
}
