package dev.edgeq.converter;

import static dev.edgeq.converter.testing.OnnxBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.converter.testing.OnnxBuilder;
import dev.edgeq.format.ColorMode;
import dev.edgeq.format.Layout;
import dev.edgeq.format.ModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model metadata from NAME.json beside the ONNX file, from options, and their checks. */
class MetadataTest {
    @TempDir
    Path dir;

    private Path model(String name, int channels) throws Exception {
        OnnxBuilder b = new OnnxBuilder();
        String x = b.input("x", 1, channels, 6, 5);
        b.output(b.node("Conv", new String[] {x, b.random("w", new Random(1), 0.5f, 2, channels, 3, 3)},
                ints("kernel_shape", 3, 3)));
        Path p = dir.resolve(name + ".onnx");
        Files.write(p, b.build().toByteArray());
        return p;
    }

    @Test
    void defaultsWithoutJson() throws Exception {
        ModelFile m = OnnxConverter.convertFloat(model("plain", 3), ConvertOptions.defaults());
        var md = m.getMetadata();
        assertEquals("plain", md.getModelName());
        assertEquals(ColorMode.RGB, md.getInputSpec().getColor());
        assertEquals(Layout.NCHW, md.getInputSpec().getLayout());
        assertEquals(6, md.getInputSpec().getHeight());
        assertEquals(5, md.getInputSpec().getWidth());
        assertEquals(List.of(0f), md.getInputSpec().getMeanList());
        assertEquals(List.of(1f), md.getInputSpec().getStdList());
        assertEquals(EqmFormat.MAJOR, m.getFormatVersion().getMajor());
        assertEquals(64, md.getSourceSha256().length());
        assertTrue(md.getSourceFile().endsWith("plain.onnx"));
    }

    @Test
    void jsonThatContradictsTheModelIsRefused() throws Exception {
        Path onnx = model("wrong", 1);
        Files.writeString(dir.resolve("wrong.json"), "{\"input\": {\"height\": 28, \"width\": 5, \"channels\": 1}}");
        ConversionException e = assertThrows(ConversionException.class,
                () -> OnnxConverter.convertFloat(onnx, ConvertOptions.defaults()));
        assertTrue(e.getMessage().contains("height 28") && e.getMessage().contains("has 6"), e.getMessage());
        // the JSON can be ignored on request
        assertEquals("wrong", OnnxConverter.convertFloat(onnx, ConvertOptions.defaults().withReadSidecar(false))
                .getMetadata().getModelName());
        Files.writeString(dir.resolve("wrong.json"), "{not json");
        e = assertThrows(ConversionException.class, () -> OnnxConverter.convertFloat(onnx, ConvertOptions.defaults()));
        assertTrue(e.getMessage().contains("wrong.json"), e.getMessage());
    }

    @Test
    void meanAndStdNeedOneValueOrOnePerChannel() throws Exception {
        Path onnx = model("rgb", 3);
        ConversionException e = assertThrows(ConversionException.class, () -> OnnxConverter.convertFloat(onnx,
                ConvertOptions.defaults().withMean(new float[] {0.1f, 0.2f})));
        assertTrue(e.getMessage().contains("mean has 2 values"), e.getMessage());
        e = assertThrows(ConversionException.class, () -> OnnxConverter.convertFloat(onnx,
                ConvertOptions.defaults().withStd(new float[] {0f})));
        assertTrue(e.getMessage().contains("std values must be > 0"), e.getMessage());
    }
}
