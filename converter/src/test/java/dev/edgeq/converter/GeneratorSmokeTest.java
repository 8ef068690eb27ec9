package dev.edgeq.converter;

import dev.edgeq.converter.testing.OnnxBuilder;
import dev.edgeq.converter.testing.OrtRunner;
import dev.edgeq.converter.testing.RandomCnn;
import dev.edgeq.format.ModelFile;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GeneratorSmokeTest {
    @Test
    void smoke() throws Exception {
        int ok = 0;
        for (long seed = 0; seed < 300; seed++) {
            RandomCnn r = RandomCnn.of(seed);
            float[] in = OnnxBuilder.randomData(new Random(seed), r.inputShape[1] * r.inputShape[2] * r.inputShape[3]);
            try {
                OrtRunner.run(r.model, "input", in, new long[] {1, r.inputShape[1], r.inputShape[2], r.inputShape[3]});
            } catch (Exception e) {
                System.out.println("ORT " + r.description + ": " + e.getMessage());
                continue;
            }
            try {
                ModelFile m = OnnxConverter.convertFloat(r.model, "t", ConvertOptions.defaults());
                ok++;
            } catch (ConversionException e) {
                System.out.println("CONV " + r.description + ": " + e.getMessage());
            }
        }
        System.out.println("ok " + ok);
    }
}
