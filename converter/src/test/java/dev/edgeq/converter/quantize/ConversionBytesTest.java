package dev.edgeq.converter.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.edgeq.converter.ConvertOptions;
import dev.edgeq.converter.OnnxConverter;
import dev.edgeq.converter.dataset.DatasetSpec;
import dev.edgeq.converter.dataset.LabeledImages;
import dev.edgeq.format.ModelFile;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The exact .eqm bytes of int8 conversion with the default options (percentile and bias correction).
 * The hashes were taken from the original implementation, which re-ran both whole models for every
 * corrected layer: the layer-by-layer design must give the same numbers, whatever the thread count.
 * Retaken 2026-12-02 after format 1.1 (new operators) from the whole-model implementation on main 4152736
 * (the commit before the layer-by-layer design merged): both designs give these bytes. A change of the
 * format or of the quantization rules changes them; take them again from the design being replaced.
 */
class ConversionBytesTest {
    static final String KITCHEN_SINK = "452528d407ff7e5ef14c45e85ff90655a3b4814dfb9b9aa33969cd07083facd2";
    static final String ISLANDS = "7c378f3b00e77b84654fc6f14b0792290a1bb6b213e51f43942ce4b28cf1ca4e";
    static final String MOBILENET_TINY = "6b02eed498148b77b45038f4289ce269211dee8800aa6f2fa97506d71f523f7f";

    static String sha256(ModelFile f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(f.toByteArray()));
    }

    static String convert(ModelFile floatModel, LabeledImages images, QuantizeOptions options) throws Exception {
        return sha256(Quantizer.quantize(floatModel, images, options).model());
    }

    @Test
    void syntheticModelsConvertToTheSameBytesAsBefore() throws Exception {
        for (int threads : new int[] {1, 2, 3}) {
            QuantizeOptions o = QuantizeOptions.defaults().withThreads(threads);
            assertEquals(KITCHEN_SINK, convert(QuantTestModels.kitchenSink(7), QuantTestModels.images(120, 16, 16, 1, 1), o),
                    threads + " threads");
            assertEquals(ISLANDS, convert(QuantTestModels.floatIslands(3), QuantTestModels.images(60, 10, 10, 3, 2), o),
                    threads + " threads");
        }
    }

    @Test
    void theReportDoesNotDependOnTheThreadCount() throws Exception {
        LabeledImages images = QuantTestModels.images(50, 16, 16, 1, 1);
        String one = Quantizer.quantize(QuantTestModels.kitchenSink(7), images, QuantizeOptions.defaults().withThreads(1))
                .report().toJson();
        String two = Quantizer.quantize(QuantTestModels.kitchenSink(7), images, QuantizeOptions.defaults().withThreads(2))
                .report().toJson();
        assertEquals(one, two);
    }

    @Test
    void bundledMobileNetConvertsToTheSameBytesAsBefore() throws Exception {
        ModelFile f = OnnxConverter.convertFloat(Path.of("../models/fashion-mobilenet-tiny.onnx"), ConvertOptions.defaults());
        LabeledImages images = DatasetSpec.open("fashion-mnist:train:300", 28, 28, 1);
        assertEquals(MOBILENET_TINY, convert(f, images, QuantizeOptions.defaults()));
    }
}
