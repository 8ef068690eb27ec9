package dev.edgeq.converter.inspect;

import static dev.edgeq.converter.testing.OnnxBuilder.i;
import static dev.edgeq.converter.testing.OnnxBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeq.converter.ConvertOptions;
import dev.edgeq.converter.OnnxConverter;
import dev.edgeq.converter.testing.OnnxBuilder;
import dev.edgeq.format.ModelFile;
import dev.edgeq.onnx.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worked arithmetic of the course material, checked through inspect on models built here. */
class InspectArithmeticTest {
    @TempDir
    Path dir;

    private static InspectReport inspect(ModelProto m) throws Exception {
        ModelFile f = OnnxConverter.convertFloat(m, "test", ConvertOptions.defaults());
        return ModelInspector.inspect(f, "test", "onnx");
    }

    @Test
    void leNetFirstLayer() throws Exception {
        OnnxBuilder b = new OnnxBuilder();
        Random rng = new Random(1);
        String x = b.input("x", 1, 3, 32, 32);
        String y = b.node("Conv", new String[] {x, b.random("w", rng, 0.1f, 6, 3, 5, 5), b.random("b", rng, 0.1f, 6)},
                ints("kernel_shape", 5, 5));
        b.output(y);
        LayerInfo conv = inspect(b.build()).layers().get(0);
        assertEquals("28x28x6", conv.outputHwc());
        assertEquals(456, conv.params());
        assertEquals(4_704, conv.neurons());
        assertEquals(357_504, conv.connections());
        assertEquals(352_800, conv.macs());
        assertEquals(5, conv.receptiveFieldH());
    }

    private static ModelProto alexNetStem(int size, int pad) {
        OnnxBuilder b = new OnnxBuilder();
        Random rng = new Random(2);
        String x = b.input("x", 1, 3, size, size);
        String y = b.node("Conv", new String[] {x, b.random("w", rng, 0.05f, 96, 3, 11, 11), b.random("b", rng, 0.1f, 96)},
                ints("kernel_shape", 11, 11), ints("strides", 4, 4), ints("pads", pad, pad, pad, pad));
        y = b.node("Relu", y);
        y = b.node("MaxPool", new String[] {y}, ints("kernel_shape", 3, 3), ints("strides", 2, 2));
        b.output(y);
        return b.build();
    }

    @Test
    void alexNetFirstLayerAndOverlappingPool() throws Exception {
        for (int[] variant : new int[][] {{227, 0}, {224, 2}}) {
            InspectReport r = inspect(alexNetStem(variant[0], variant[1]));
            assertEquals(2, r.layers().size(), "ReLU fused into the conv");
            LayerInfo conv = r.layers().get(0);
            assertEquals("55x55x96", conv.outputHwc());
            assertEquals(34_944, conv.params());
            assertEquals(105_705_600, conv.connections());
            assertEquals("relu", conv.activation());
            LayerInfo pool = r.layers().get(1);
            assertEquals("MAX_POOL_2D", pool.op());
            assertEquals("27x27x96", pool.outputHwc());
            assertEquals(0, pool.params());
            assertEquals(11 + 2 * 4, pool.receptiveFieldH(), "11 + (3-1) * 4");
            assertEquals(34_944, r.totalParams());
            assertEquals(34_944L * 4, r.weightBytes());
        }
    }

    @Test
    void textAndJsonCarryTheSameNumbers() throws Exception {
        Path onnx = dir.resolve("stem.onnx");
        Files.write(onnx, alexNetStem(227, 0).toByteArray());
        InspectReport r = ModelInspector.inspect(onnx);
        String text = ReportFormatter.text(r);
        assertTrue(text.contains("105,705,600"), text);
        assertTrue(text.contains("55x55x96"), text);
        JsonNode j = new ObjectMapper().readTree(ReportFormatter.json(r));
        assertEquals(105_705_600L, j.get("layers").get(0).get("connections").asLong());
        assertEquals(34_944L, j.get("total_params").asLong());
        assertEquals(27 * 27 * 96 * 4L + 55 * 55 * 96 * 4L + 227 * 227 * 3 * 4L, j.get("activation_bytes").asLong());
        // an .eqm inspects the same as its ONNX source
        Path eqm = dir.resolve("stem.eqm");
        OnnxConverter.convertFloatToFile(onnx, eqm, ConvertOptions.defaults());
        InspectReport e = ModelInspector.inspect(eqm);
        assertEquals(r.totalConnections(), e.totalConnections());
        assertEquals("eqm", e.format());
    }

    @Test
    void denseAndDepthwiseCounts() throws Exception {
        OnnxBuilder b = new OnnxBuilder();
        Random rng = new Random(3);
        String x = b.input("x", 1, 4, 8, 8);
        String y = b.node("Conv", new String[] {x, b.random("dw", rng, 0.1f, 8, 1, 3, 3)}, ints("kernel_shape", 3, 3),
                i("group", 4), ints("pads", 1, 1, 1, 1));
        y = b.node("Flatten", y);
        y = b.node("Gemm", new String[] {y, b.random("fw", rng, 0.1f, 10, 512), b.random("fb", rng, 0.1f, 10)}, i("transB", 1));
        b.output(y);
        InspectReport r = inspect(b.build());
        LayerInfo dw = r.layers().get(0);
        assertEquals("DEPTHWISE_CONV_2D", dw.op());
        assertEquals(8 * 8 * 8 * 9, dw.macs());
        assertEquals(72, dw.params());
        LayerInfo fc = r.layers().get(r.layers().size() - 1);
        assertEquals(5_120, fc.macs());
        assertEquals(5_130, fc.params());
        assertEquals(5_130, fc.connections());
        assertEquals("1x1x10", fc.outputHwc());
    }
}
