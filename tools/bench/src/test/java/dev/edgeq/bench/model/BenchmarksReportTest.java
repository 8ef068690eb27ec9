package dev.edgeq.bench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BENCHMARKS.md from a JMH result file: the table, the ratios from the same run, bytes per op. */
class BenchmarksReportTest {
    @TempDir
    Path dir;

    private static String result(String benchmark, String params, double score, String unit, double bytes) {
        return "{\"benchmark\":\"" + benchmark + "\",\"params\":{" + params + "},\"primaryMetric\":{\"score\":" + score
                + ",\"scoreError\":1.5,\"scoreUnit\":\"" + unit + "\"},\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":"
                + bytes + ",\"scoreUnit\":\"B/op\"}}}";
    }

    @Test
    void rendersTablesAndRatiosFromOneRun() throws Exception {
        String mb = "dev.edgeq.bench.model.ModelBenchmark.infer";
        String json = "[" + String.join(",",
                result(mb, "\"model\":\"seedcnn\",\"engine\":\"edgeq-int8\"", 30.0, "us/op", 0.0),
                result(mb, "\"model\":\"seedcnn\",\"engine\":\"edgeq-float\"", 90.0, "us/op", 0.0),
                result(mb, "\"model\":\"seedcnn\",\"engine\":\"ort-float\"", 40.0, "us/op", 512.0),
                result(mb, "\"model\":\"seedcnn\",\"engine\":\"ort-int8\"", 60.0, "us/op", 520.0),
                result("dev.edgeq.bench.model.DeviceLoopBenchmark.frame", "\"model\":\"seedcnn\"", 9000.0, "ops/s", 0.0)) + "]";
        Path file = dir.resolve("r.json");
        Files.writeString(file, json);
        List<BenchmarksReport.Row> rows = BenchmarksReport.read(file);
        assertEquals(5, rows.size());
        assertEquals(512.0, rows.get(2).bytesPerOp());
        Path machine = dir.resolve("machine.txt");
        Files.writeString(machine, "CPU: test cpu, 2 cores\nJDK: 17\n");
        String md = BenchmarksReport.render(rows, Map.of("command", "tools/bench/run", "machine", machine.toString()));
        assertTrue(md.contains("| seedcnn | 1 | edgeq-int8 | 30.0 | 1.5 | 0 |"), md);
        // edgeq int8 / ORT float = 30/40, / ORT int8 = 30/60, edgeq float / ORT float = 90/40
        assertTrue(md.contains("| seedcnn | 1 | 0.75 | 0.50 | 2.25 | 0 | 512 |"), md);
        assertTrue(md.contains("| seedcnn | 9000 | 2 | 0 |"), md);
        assertTrue(!md.contains("Speed-up over one thread"), "one thread count measured: no speed-up table\n" + md);
        assertTrue(md.contains("- CPU: test cpu, 2 cores"), md);
        assertTrue(md.contains("`tools/bench/run`"), md);
    }

    @Test
    void convertsUnitsToNanoseconds() {
        assertEquals(1500.0, BenchmarksReport.toNanos(1.5, "us/op"));
        assertEquals(250.0, BenchmarksReport.toNanos(4_000_000, "ops/s"), 1e-9);
        assertEquals(7.0, BenchmarksReport.toNanos(7, "ns/op"));
    }
}
