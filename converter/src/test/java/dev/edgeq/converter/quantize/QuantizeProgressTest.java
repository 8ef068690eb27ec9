package dev.edgeq.converter.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.edgeq.converter.dataset.LabeledImages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Each stage of quantization announces its steps and takes exactly that many, from any thread. */
class QuantizeProgressTest {
    @Test
    void calibrationStepsPerImageAndBiasCorrectionPerLayer() throws Exception {
        List<String> stages = new ArrayList<>();
        List<Long> announced = new ArrayList<>();
        List<Long> taken = new ArrayList<>();
        AtomicLong steps = new AtomicLong();
        Progress recorder = new Progress() {
            @Override
            public void start(String stage, long n) {
                if (!stages.isEmpty()) {
                    taken.add(steps.getAndSet(0));
                }
                stages.add(stage);
                announced.add(n);
            }

            @Override
            public void step() {
                steps.incrementAndGet();
            }
        };
        LabeledImages images = QuantTestModels.images(30, 16, 16, 1, 1);
        QuantizationResult r = Quantizer.quantize(QuantTestModels.kitchenSink(7), images,
                QuantizeOptions.defaults().withThreads(2), recorder);
        taken.add(steps.get());
        int layers = r.model().getOperatorsCount();
        assertEquals(List.of("calibration pass 1/2", "calibration pass 2/2", "bias correction on 30 images", "measuring"), stages);
        assertEquals(List.of(30L, 30L, (long) layers, 30L), announced);
        assertEquals(announced, taken);
    }
}
