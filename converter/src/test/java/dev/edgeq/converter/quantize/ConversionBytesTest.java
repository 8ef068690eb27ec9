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
 */
class ConversionBytesTest {
    static final String KITCHEN_SINK = "f5384c1c2ecd27cdd239a52349206d1ee07a4c3d213cddced53e14fc7a02bb94";
    static final String ISLANDS = "e69b1cf2700af391298cafefdea18beeb12ccdd9f6e6a8acaf4479a5c75c7771";
    static final String MOBILENET_TINY = "12a6a1eb9dc821d661bf677aab49c217d459db4e7bd9793aa6a2cf4f003dc94b";

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
