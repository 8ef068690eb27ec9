package dev.edgeq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeq.converter.OnnxConverter;
import dev.edgeq.converter.dataset.DatasetSpec;
import dev.edgeq.converter.quantize.QuantizeOptions;
import dev.edgeq.converter.quantize.Quantizer;
import dev.edgeq.format.ModelFile;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.testing.ModelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code edgeq bench} on a small int8 CNN (quantized in the test on Fashion-MNIST images resized to 12x12). */
class BenchCommandTest {
    @TempDir
    static Path dir;
    static Path int8File;
    static Model int8;

    @BeforeAll
    static void quantizeSmallCnn() throws Exception {
        ModelFile floatFile = ModelBuilder.smallFloatCnn(7);
        ModelFile q = Quantizer.quantize(floatFile, DatasetSpec.open("fashion-mnist:train:200", 12, 12, 1),
                QuantizeOptions.defaults()).model();
        int8File = dir.resolve("small.int8.eqm");
        OnnxConverter.write(q, int8File);
        int8 = Model.load(int8File);
    }

    @Test
    void measuresLatencyAllocationArenaAndPerLayerProfile() throws Exception {
        BenchCommand.Result r = BenchCommand.measure(int8, int8File.toString(), 1, 1, 0.3, 0.5);
        System.out.print(r.toText());
        assertEquals("int8", r.dataType());
        assertTrue(r.inferences() > 100, "inferences " + r.inferences());
        assertTrue(r.minMicros() > 0 && r.medianMicros() >= r.minMicros() && r.p99Micros() >= r.medianMicros(),
                "min " + r.minMicros() + " median " + r.medianMicros() + " p99 " + r.p99Micros());
        assertEquals(r.inferences() / r.seconds(), r.inferencesPerSecond(), 1e-6 * r.inferencesPerSecond());
        // the runtime's promise, measured the way the command measures it
        assertEquals(0.0, r.bytesPerInference(), "bytes allocated per inference");
        assertTrue(r.arenaBytes() >= r.arenaLowerBoundBytes() && r.arenaLowerBoundBytes() > 0);
        assertEquals(int8.operatorCount(), r.layers().size());
        double share = r.layers().stream().mapToDouble(BenchCommand.Layer::share).sum();
        assertEquals(1.0, share, 1e-9);
        BenchCommand.Layer conv1 = r.layers().stream().filter(l -> l.name().equals("conv1")).findFirst().orElseThrow();
        assertEquals(12L * 12 * 4 * 9, conv1.macs(), "conv1 MACs: 12x12 outputs x 4 channels x 3x3x1");
        assertEquals("CONV_2D", conv1.type());
        assertEquals("12x12x4", conv1.outputShape());
        assertTrue(conv1.macsPerSecond() > 0);
        assertEquals(r.layers().stream().mapToLong(BenchCommand.Layer::macs).sum(), r.totalMacs());
    }

    @Test
    void streamsRunInterpretersSideBySideAndThreadsSplitEachInference() throws Exception {
        for (int[] streamsThreads : new int[][] {{2, 1}, {1, 2}}) {
            BenchCommand.Result r = BenchCommand.measure(int8, int8File.toString(), streamsThreads[0], streamsThreads[1], 0.2, 0.3);
            assertEquals(streamsThreads[0], r.streams());
            assertEquals(streamsThreads[1], r.threads());
            assertTrue(r.inferences() > 100);
            assertEquals(0.0, r.bytesPerInference());
        }
    }

    @Test
    void jsonHasTheSameFields() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = new CommandLine(new BenchCommand()).execute(int8File.toString(), "--json", "--seconds", "0.3", "--warmup", "0.2");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code);
        JsonNode j = new ObjectMapper().readTree(buf.toString(StandardCharsets.UTF_8));
        assertEquals("small-cnn", j.get("model").asText());
        assertTrue(j.get("latency_us").get("median").asDouble() > 0);
        assertTrue(j.get("latency_us").get("p99").asDouble() >= j.get("latency_us").get("median").asDouble());
        assertTrue(j.get("inferences_per_second").asDouble() > 0);
        assertEquals(0.0, j.get("bytes_allocated_per_inference").asDouble());
        assertTrue(j.get("arena_bytes").asLong() >= j.get("arena_lower_bound_bytes").asLong());
        assertTrue(j.has("emulation"));
        assertEquals(int8.operatorCount(), j.get("layers").size());
        JsonNode first = j.get("layers").get(0);
        for (String f : new String[] {"name", "op", "output_shape", "macs", "time_share", "macs_per_second"}) {
            assertTrue(first.has(f), "layer field " + f);
        }
    }

    @Test
    void rejectsBadThreadCount() {
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        assertNotEquals(0, cli.execute(int8File.toString(), "--threads", "0"));
    }
}
