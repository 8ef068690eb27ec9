package dev.edgeq.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.converter.OnnxConverter;
import dev.edgeq.converter.dataset.DatasetSpec;
import dev.edgeq.converter.export.OnnxExporter;
import dev.edgeq.converter.quantize.QuantizeOptions;
import dev.edgeq.converter.quantize.Quantizer;
import dev.edgeq.format.ModelFile;
import dev.edgeq.onnx.ModelProto;
import dev.edgeq.onnx.NodeProto;
import dev.edgeq.onnx.TensorProto;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.testing.ModelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code edgeq export} writes what {@link OnnxExporter} produces, in QDQ form with int8 weights and
 * an int8 NHWC input. (That ONNX Runtime runs it and agrees with edgeq is checked on the bundled
 * models by the converter's OnnxExportInt8Test.)
 */
class ExportCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesQdqOnnxOfAnInt8Model() throws Exception {
        ModelFile q = Quantizer.quantize(ModelBuilder.smallFloatCnn(3), DatasetSpec.open("fashion-mnist:train:100", 12, 12, 1),
                QuantizeOptions.defaults()).model();
        Path eqm = dir.resolve("small.int8.eqm");
        OnnxConverter.write(q, eqm);
        Path out = dir.resolve("small.onnx");
        int code = new CommandLine(new ExportCommand()).execute(eqm.toString(), "--format", "onnx", "-o", out.toString());
        assertEquals(0, code);
        ModelProto written = ModelProto.parseFrom(Files.readAllBytes(out));
        assertArrayEquals(OnnxExporter.export(Model.load(eqm)).toByteArray(), written.toByteArray());
        Set<String> ops = written.getGraph().getNodeList().stream().map(NodeProto::getOpType).collect(Collectors.toSet());
        assertTrue(ops.containsAll(Set.of("QuantizeLinear", "DequantizeLinear", "Conv", "Gemm", "Transpose", "Softmax")), ops.toString());
        TensorProto w1 = written.getGraph().getInitializerList().stream().filter(t -> t.getName().equals("w1")).findFirst().orElseThrow();
        assertEquals(TensorProto.DataType.INT8_VALUE, w1.getDataType());
        assertEquals(java.util.List.of(4L, 1L, 3L, 3L), w1.getDimsList(), "OHWI 4x3x3x1 weights written as OIHW");
        assertEquals(TensorProto.DataType.INT8_VALUE, written.getGraph().getInput(0).getType().getTensorType().getElemType());
    }

    @Test
    void refusesOtherFormats() throws Exception {
        Path eqm = dir.resolve("small.eqm");
        OnnxConverter.write(ModelBuilder.smallFloatCnn(1), eqm);
        CommandLine cli = new CommandLine(new ExportCommand());
        cli.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        assertNotEquals(0, cli.execute(eqm.toString(), "--format", "tflite", "-o", dir.resolve("x").toString()));
        assertTrue(Files.notExists(dir.resolve("x")));
    }
}
