package dev.edgeq.converter.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.ConvertOptions;
import dev.edgeq.converter.OnnxConverter;
import dev.edgeq.converter.onnx.OnnxModelReader;
import dev.edgeq.format.ModelFile;
import dev.edgeq.onnx.ModelProto;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.testing.FuzzSupport;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target: an ONNX file goes through the importer and the float conversion, and a model the
 * converter produces must load in the runtime. The property: only {@link ConversionException}
 * escapes (a converted model the runtime refuses is a converter bug); no other exception, no
 * OutOfMemoryError in the fuzz executions' small heap, no input taking over a second.
 *
 * <p>Seeds: {@code src/test/resources/dev/edgeq/converter/fuzz/OnnxImportFuzzTestInputs} (provenance
 * in its README).
 */
class OnnxImportFuzzTest {
    @BeforeAll
    static void loadClassesOnce() {
        FuzzSupport.warmUp(OnnxImportFuzzTest.class, "importAndConvert", OnnxImportFuzzTest::fuzzerTestOneInput);
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    void importAndConvert(byte[] bytes) {
        fuzzerTestOneInput(bytes);
    }

    /** The target (also the entry point of Jazzer's command line, used by {@code tools/fuzz}). */
    public static void fuzzerTestOneInput(byte[] bytes) {
        ModelFile converted;
        try {
            ModelProto onnx = OnnxModelReader.parse(bytes, "fuzz.onnx");
            converted = OnnxConverter.convertFloat(onnx, "fuzz.onnx", ConvertOptions.defaults());
        } catch (ConversionException refused) {
            return;
        }
        try {
            Model.fromProto(converted);
        } catch (ModelFormatException e) {
            throw new AssertionError("the converter wrote a model the runtime refuses: " + e.getMessage(), e);
        }
    }
}
