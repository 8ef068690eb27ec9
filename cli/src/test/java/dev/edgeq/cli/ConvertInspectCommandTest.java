package dev.edgeq.cli;

import static dev.edgeq.converter.testing.OnnxBuilder.i;
import static dev.edgeq.converter.testing.OnnxBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeq.converter.testing.OnnxBuilder;
import dev.edgeq.format.ColorMode;
import dev.edgeq.format.InputSpec;
import dev.edgeq.runtime.Model;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConvertInspectCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(Object command, String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(command).execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private Path writeModel(String name, int channels) throws Exception {
        OnnxBuilder b = new OnnxBuilder();
        Random rng = new Random(1);
        String x = b.input("input", 1, channels, 12, 12);
        String y = b.node("Conv", new String[] {x, b.random("w", rng, 0.3f, 4, channels, 3, 3), b.random("b", rng, 0.1f, 4)},
                ints("kernel_shape", 3, 3));
        y = b.node("Relu", y);
        y = b.node("MaxPool", new String[] {y}, ints("kernel_shape", 2, 2), ints("strides", 2, 2));
        y = b.node("Flatten", y);
        y = b.node("Gemm", new String[] {y, b.random("fw", rng, 0.1f, 3, 100), b.random("fb", rng, 0.1f, 3)}, i("transB", 1));
        b.output(y);
        Path p = dir.resolve(name + ".onnx");
        Files.write(p, b.build().toByteArray());
        return p;
    }

    @Test
    void convertReadsTheTrainingJsonWithoutWarnings() throws Exception {
        Path onnx = writeModel("shirts", 1);
        Files.writeString(dir.resolve("shirts.json"), """
                {"model_name": "shirts-v1", "labels": ["tee", "shirt", "coat"],
                 "input": {"height": 12, "width": 12, "channels": 1, "layout": "NCHW", "color": "gray",
                           "pixel_scale": 0.00392156862745098, "mean": [0.2860], "std": [0.3530]},
                 "float_test_accuracy": 0.91, "torch_version": "2.3"}
                """);
        Path out = dir.resolve("shirts.eqm");
        Result r = run(new ConvertCommand(), onnx.toString(), "-o", out.toString(), "--float");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err(), "no warnings on a good file");
        assertTrue(r.out().contains("wrote " + out), r.out());
        Model m = Model.load(out);
        assertEquals("shirts-v1", m.name());
        assertEquals(List.of("tee", "shirt", "coat"), m.labels());
        InputSpec in = m.metadata().getInputSpec();
        assertEquals(ColorMode.GRAY, in.getColor());
        assertEquals(12, in.getHeight());
        assertEquals(0.2860f, in.getMean(0));
        assertEquals(0.3530f, in.getStd(0));
        assertEquals(1 / 255f, in.getPixelScale(), 1e-7f);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(onnx)));
        assertEquals(sha, m.metadata().getSourceSha256());
        assertEquals("edgeq", m.metadata().getProducer());
    }

    @Test
    void flagsOverrideTheJson() throws Exception {
        Path onnx = writeModel("rgb", 3);
        Files.writeString(dir.resolve("rgb.json"), "{\"labels\": [\"a\", \"b\", \"c\"], \"input\": {\"mean\": [0.1]}}");
        Path labels = dir.resolve("labels.txt");
        Files.writeString(labels, "cat\ndog\nbird\n\n");
        Path out = dir.resolve("rgb.eqm");
        Result r = run(new ConvertCommand(), onnx.toString(), "-o", out.toString(), "--float", "--labels", labels.toString(),
                "--mean", "0.485,0.456,0.406", "--std", "0.229, 0.224, 0.225", "--color", "rgb", "--name", "pets");
        assertEquals(0, r.code(), r.err());
        Model m = Model.load(out);
        assertEquals(List.of("cat", "dog", "bird"), m.labels());
        assertEquals("pets", m.name());
        InputSpec in = m.metadata().getInputSpec();
        assertArrayEquals(new Object[] {0.485f, 0.456f, 0.406f}, in.getMeanList().toArray());
        assertEquals(ColorMode.RGB, in.getColor());
    }

    @Test
    void threadsFlagLeavesTheBytesUnchanged() throws Exception {
        String lenet = Path.of("..", "models", "fashion-lenet5.onnx").toString();
        byte[][] bytes = new byte[2][];
        int[] threads = {1, 3};
        for (int k = 0; k < 2; k++) {
            Path out = dir.resolve("lenet-" + threads[k] + ".eqm");
            Result r = run(new ConvertCommand(), lenet, "-o", out.toString(), "--calibration", "fashion-mnist:train:40",
                    "--threads", String.valueOf(threads[k]));
            assertEquals(0, r.code(), r.err());
            bytes[k] = Files.readAllBytes(out);
        }
        assertArrayEquals(bytes[0], bytes[1], "1 and 3 threads");

        Result r = run(new ConvertCommand(), lenet, "-o", dir.resolve("x.eqm").toString(), "--calibration",
                "fashion-mnist:train:40", "--threads", "0");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("--threads 0: expected 1 or more"), r.err());
        r = run(new ConvertCommand(), lenet, "-o", dir.resolve("x.eqm").toString(), "--float", "--threads", "2");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("do not go with --float"), r.err());
        assertFalse(Files.exists(dir.resolve("x.eqm")));
    }

    @Test
    void failedConversionWritesNothingAndExitsNonZero() throws Exception {
        Path onnx = writeModel("gray", 1);
        Path out = dir.resolve("x.eqm");
        Result r = run(new ConvertCommand(), onnx.toString(), "-o", out.toString(), "--float", "--color", "rgb");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("needs 3 input channels"), r.err());
        assertFalse(Files.exists(out));
        Files.write(dir.resolve("junk.onnx"), new byte[] {8, 1, 2, 3});
        r = run(new ConvertCommand(), dir.resolve("junk.onnx").toString(), "-o", out.toString(), "--float");
        assertNotEquals(0, r.code());
        assertFalse(Files.exists(out));
    }

    @Test
    void inspectTextAndJsonForOnnxAndEqm() throws Exception {
        Path onnx = writeModel("net", 1);
        Result text = run(new InspectCommand(), onnx.toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("10x10x4"), text.out());
        Result bad = run(new InspectCommand(), onnx.toString(), "--kernels", "fastest");
        assertTrue(bad.code() != 0 && bad.err().contains("--kernels fastest is not one of auto, scalar, vector, reference"), bad.err());
        assertTrue(text.out().contains("total: 343 params"), text.out()); // 4*9+4 + 3*100+3
        Path eqm = dir.resolve("net.eqm");
        assertEquals(0, run(new ConvertCommand(), onnx.toString(), "-o", eqm.toString(), "--float").code());
        Result json = run(new InspectCommand(), eqm.toString(), "--json", "--kernels", "scalar", "--threads", "2");
        assertEquals(0, json.code(), json.err());
        JsonNode j = new ObjectMapper().readTree(json.out());
        assertEquals(343, j.get("total_params").asInt());
        assertEquals("CONV_2D", j.get("layers").get(0).get("op").asText());
        assertEquals(3600 + 400, j.get("layers").get(0).get("connections").asLong());
        assertTrue(j.get("arena_bytes").asLong() >= j.get("arena_lower_bound_bytes").asLong());
        assertEquals(0, j.get("scratch_bytes").asLong()); // float kernels take no scratch
        assertEquals(2, j.get("threads").asInt(), "threads unset");
    }
}
