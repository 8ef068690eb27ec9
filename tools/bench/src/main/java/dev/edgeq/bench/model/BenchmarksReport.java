package dev.edgeq.bench.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes BENCHMARKS.md from one run of the suite (JMH's JSON result file, {@code -prof gc}) and the
 * side measurements that tools/bench/run collected: the model table, the ratios edgeq / ONNX
 * Runtime from that same run, the device loop, the kernel MAC/s table (when the kernel benchmarks
 * ran), per-layer profiles from {@code edgeq bench}, the AlexNet-scale figures, and the machine.
 *
 * <p>Usage: {@code BenchmarksReport KEY=VALUE...} with keys {@code jmh} (result JSON), {@code out}
 * (the markdown file), {@code command}, {@code settings}, {@code machine} (a text file: one
 * "name: value" per line), {@code layers} (a directory of NAME.txt profiles), {@code scale} (a
 * markdown fragment), {@code prepare} (the model preparation log).
 */
public final class BenchmarksReport {
    static final String[] ENGINES = {"edgeq-int8", "edgeq-float", "ort-float", "ort-int8"};

    private BenchmarksReport() {}

    /** One JMH result row. */
    record Row(String benchmark, Map<String, String> params, double score, double error, String unit, double bytesPerOp) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("argument '" + arg + "': expected KEY=VALUE");
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        List<Row> rows = read(Path.of(require(a, "jmh")));
        String md = render(rows, a);
        Files.writeString(Path.of(require(a, "out")), md, StandardCharsets.UTF_8);
        System.out.println("wrote " + a.get("out") + " (" + rows.size() + " JMH results)");
    }

    private static String require(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing " + key + "=...");
        }
        return v;
    }

    static List<Row> read(Path json) throws Exception {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        List<Row> rows = new ArrayList<>();
        for (JsonNode r : root) {
            Map<String, String> params = new TreeMap<>();
            r.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            JsonNode pm = r.get("primaryMetric");
            JsonNode alloc = r.path("secondaryMetrics").path("gc.alloc.rate.norm");
            rows.add(new Row(r.get("benchmark").asText(), params, pm.get("score").asDouble(),
                    pm.path("scoreError").asDouble(Double.NaN), pm.get("scoreUnit").asText(),
                    alloc.isMissingNode() ? Double.NaN : alloc.get("score").asDouble()));
        }
        return rows;
    }

    static String render(List<Row> rows, Map<String, String> a) throws Exception {
        StringBuilder s = new StringBuilder();
        s.append("# edgeq benchmarks\n\n");
        s.append("Written by `tools/bench/run` from one run of the JMH suite in `tools/bench`; do not edit by hand,\n")
                .append("rerun the script. Ratios compare engines measured in the same run.\n\n");
        s.append("- Command: `").append(a.getOrDefault("command", "tools/bench/run").strip()).append("`\n");
        if (a.containsKey("settings")) {
            s.append("- JMH settings: `").append(a.get("settings")).append("`\n");
        }
        if (a.containsKey("machine")) {
            for (String line : Files.readAllLines(Path.of(a.get("machine")))) {
                if (!line.isBlank()) {
                    s.append("- ").append(line.trim()).append('\n');
                }
            }
        }
        s.append('\n');

        // model -> threads -> engine -> row
        Map<String, Map<Integer, Map<String, Row>>> models = new TreeMap<>();
        List<Row> loop = new ArrayList<>();
        List<Row> kernels = new ArrayList<>();
        for (Row r : rows) {
            if (r.benchmark().endsWith("ModelBenchmark.infer")) {
                int threads = Integer.parseInt(r.params().getOrDefault("threads", "1"));
                models.computeIfAbsent(r.params().get("model"), k -> new TreeMap<>())
                        .computeIfAbsent(threads, k -> new LinkedHashMap<>()).put(r.params().get("engine"), r);
            } else if (r.benchmark().endsWith("DeviceLoopBenchmark.frame")) {
                loop.add(r);
            } else {
                kernels.add(r);
            }
        }

        s.append("## Whole models: batch 1\n\n");
        s.append("Raw 8-bit pixels of a Fashion-MNIST test image in, float scores out (input conversion and output\n")
                .append("read included for every engine); the torchvision families (when the run had `--zoo`) at 224x224x3\n")
                .append("with random weights, the same image upsampled. `edgeq-int8` / `edgeq-float`: edgeq's Interpreter on\n")
                .append("the int8 / float `.eqm`; `ort-float`: ONNX Runtime on the source float ONNX; `ort-int8`: ONNX Runtime\n")
                .append("on the int8 model exported by `edgeq export` (QDQ). threads: edgeq `Interpreter.Options.threads(n)`,\n")
                .append("ONNX Runtime n intra-op threads and 1 inter-op thread (its default on this machine is one per core);\n")
                .append("all graph optimizations, input tensor created once over a reused direct buffer, output pinned to a\n")
                .append("reused tensor. B/op: Java heap allocated per inference (JMH `-prof gc`, gc.alloc.rate.norm; JMH's\n")
                .append("own bookkeeping puts a few bytes of noise on slow benchmarks).\n\n");
        s.append("| model | threads | engine | us/op | ± (99.9%) | B/op |\n|---|---:|---|---:|---:|---:|\n");
        for (Map.Entry<String, Map<Integer, Map<String, Row>>> m : models.entrySet()) {
            for (Map.Entry<Integer, Map<String, Row>> t : m.getValue().entrySet()) {
                for (String e : ENGINES) {
                    Row r = t.getValue().get(e);
                    if (r != null) {
                        s.append(String.format(Locale.ROOT, "| %s | %d | %s | %.1f | %s | %s |%n", m.getKey(), t.getKey(), e, r.score(),
                                Double.isNaN(r.error()) ? "-" : String.format(Locale.ROOT, "%.1f", r.error()), bytes(r.bytesPerOp())));
                    }
                }
            }
        }
        s.append("\n## Ratios edgeq / ONNX Runtime (same run, same thread count; below 1.0 = edgeq faster)\n\n");
        s.append("| model | threads | edgeq int8 / ORT float | edgeq int8 / ORT int8 | edgeq float / ORT float | edgeq int8 B/op | ORT float B/op |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Map<Integer, Map<String, Row>>> m : models.entrySet()) {
            for (Map.Entry<Integer, Map<String, Row>> t : m.getValue().entrySet()) {
                Map<String, Row> e = t.getValue();
                s.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s |%n", m.getKey(), t.getKey(),
                        ratio(e.get("edgeq-int8"), e.get("ort-float")), ratio(e.get("edgeq-int8"), e.get("ort-int8")),
                        ratio(e.get("edgeq-float"), e.get("ort-float")),
                        e.containsKey("edgeq-int8") ? bytes(e.get("edgeq-int8").bytesPerOp()) : "-",
                        e.containsKey("ort-float") ? bytes(e.get("ort-float").bytesPerOp()) : "-"));
            }
        }
        appendSpeedups(s, models);

        if (!loop.isEmpty()) {
            s.append("\n## Device loop: one camera frame end to end, one thread\n\n");
            s.append("640x480 I420 frame (gray models: Y plane; RGB: YUV -> RGB) -> center crop + area downscale to the model input (the device's\n")
                    .append("AreaResampler) -> int8 inference and top-3 softmax (Classifier) -> the device's classification\n")
                    .append("message (ClassificationJson) and its payload array, the one allocation per published frame.\n\n");
            s.append("| model | frames/s | ± | B/frame |\n|---|---:|---:|---:|\n");
            for (Row r : loop) {
                s.append(String.format(Locale.ROOT, "| %s | %.0f | %s | %s |%n", r.params().get("model"), r.score(),
                        Double.isNaN(r.error()) ? "-" : String.format(Locale.ROOT, "%.0f", r.error()), bytes(r.bytesPerOp())));
            }
        }

        if (!kernels.isEmpty()) {
            s.append("\n## Kernels (int8, the bundled models' layer shapes)\n\n");
            Method macs = kernelMacs();
            s.append("| benchmark | params | score | unit | GMAC/s | B/op |\n|---|---|---:|---|---:|---:|\n");
            for (Row r : kernels) {
                String gmacs = "-";
                String shape = r.params().get("shape");
                if (macs != null && shape != null) {
                    double nsPerCall = toNanos(r.score(), r.unit());
                    if (nsPerCall > 0) {
                        gmacs = String.format(Locale.ROOT, "%.2f", ((Long) macs.invoke(null, shape)) / nsPerCall);
                    }
                }
                String name = r.benchmark().substring(r.benchmark().lastIndexOf('.', r.benchmark().lastIndexOf('.') - 1) + 1);
                s.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %s | %s | %s |%n", name, r.params(), r.score(), r.unit(),
                        gmacs, bytes(r.bytesPerOp())));
            }
        }

        if (a.containsKey("layers") && Files.isDirectory(Path.of(a.get("layers")))) {
            s.append("\n## Per-layer profiles (`edgeq bench`, int8, one thread)\n\n");
            s.append("Where each int8 model spends its time; from `edgeq bench MODEL.int8.eqm` in the same run.\n");
            try (Stream<Path> files = Files.list(Path.of(a.get("layers")))) {
                for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                    s.append("\n### ").append(p.getFileName().toString().replaceFirst("\\.txt$", "")).append("\n\n```\n")
                            .append(Files.readString(p).stripTrailing()).append("\n```\n");
                }
            }
        }
        if (a.containsKey("scale") && Files.isRegularFile(Path.of(a.get("scale")))) {
            s.append('\n').append(Files.readString(Path.of(a.get("scale"))).stripTrailing()).append('\n');
        }
        if (a.containsKey("prepare") && Files.isRegularFile(Path.of(a.get("prepare")))) {
            s.append("\n## Model preparation (convert, quantize, export)\n\n```\n")
                    .append(Files.readString(Path.of(a.get("prepare"))).stripTrailing()).append("\n```\n");
        }
        return s.toString();
    }

    /** Time on 1 thread / time on n threads, per model and engine, when the run measured several counts. */
    private static void appendSpeedups(StringBuilder s, Map<String, Map<Integer, Map<String, Row>>> models) {
        boolean any = models.values().stream().anyMatch(t -> t.size() > 1 && t.containsKey(1));
        if (!any) {
            return;
        }
        s.append("\n## Speed-up over one thread (same run)\n\n| model | engine | threads | speed-up |\n|---|---|---:|---:|\n");
        for (Map.Entry<String, Map<Integer, Map<String, Row>>> m : models.entrySet()) {
            Map<String, Row> one = m.getValue().get(1);
            if (one == null) {
                continue;
            }
            for (String e : ENGINES) {
                for (Map.Entry<Integer, Map<String, Row>> t : m.getValue().entrySet()) {
                    Row r = t.getValue().get(e);
                    if (t.getKey() > 1 && r != null && one.get(e) != null) {
                        s.append(String.format(Locale.ROOT, "| %s | %s | %d | %s |%n", m.getKey(), e, t.getKey(), ratio(one.get(e), r)));
                    }
                }
            }
        }
    }

    private static Method kernelMacs() {
        try {
            return Class.forName("dev.edgeq.bench.Int8KernelBenchmark").getMethod("macs", String.class);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    static double toNanos(double score, String unit) {
        switch (unit) {
            case "ns/op": return score;
            case "us/op": return score * 1e3;
            case "ms/op": return score * 1e6;
            case "ops/s": return score > 0 ? 1e9 / score : 0;
            case "ops/ms": return score > 0 ? 1e6 / score : 0;
            case "ops/us": return score > 0 ? 1e3 / score : 0;
            default: return 0;
        }
    }

    private static String ratio(Row num, Row den) {
        if (num == null || den == null || den.score() <= 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f", num.score() / den.score());
    }

    private static String bytes(double b) {
        return Double.isNaN(b) ? "-" : String.format(Locale.ROOT, "%.0f", b);
    }
}
