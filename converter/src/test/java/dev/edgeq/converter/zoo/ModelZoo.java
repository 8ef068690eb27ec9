package dev.edgeq.converter.zoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A folder written by {@code tools/zoo/zoo.py} (torchvision families with random weights, their
 * ONNX exports, images, PyTorch float logits and PyTorch FX int8 SQNR), read from its
 * manifest.json; {@link #generate} runs the generator with Debian's Python (tools/train/find-python.sh).
 */
public record ModelZoo(Path dir, String size, String images, String fxQconfig, List<ZooFamily> families) {
    /** The source tree's root (tests run in converter/). */
    public static final Path ROOT = findRoot();

    /** Runs zoo.py into {@code out}; size "ci" or "full"; no families: all of them. */
    public static ModelZoo generate(Path out, String size, int calibration, int test, List<String> families)
            throws IOException, InterruptedException {
        String command = "source tools/train/find-python.sh && \"$(edgeq_find_torch_python)\" tools/zoo/zoo.py"
                + " --out \"$1\" --size \"$2\" --calibration \"$3\" --test \"$4\" --families \"$5\"";
        Files.createDirectories(out);
        Path log = out.resolve("zoo.log"); // a file, not a pipe: waitFor's timeout holds even if zoo.py hangs
        Process p = new ProcessBuilder("bash", "-c", command, "zoo", out.toString(), size, String.valueOf(calibration),
                String.valueOf(test), String.join(",", families)).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(30, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly();
        }
        if (!finished || p.exitValue() != 0) {
            throw new IOException("tools/zoo/zoo.py " + (finished ? "failed" : "took over 30 minutes")
                    + " (needs Debian's python3-torch, python3-torchvision, python3-onnx and dataset-fashion-mnist):\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return read(out);
    }

    public static ModelZoo read(Path dir) throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(dir.resolve("manifest.json")));
        List<ZooFamily> families = new ArrayList<>();
        for (JsonNode f : root.get("families")) {
            List<String> ops = new ArrayList<>();
            f.get("onnx_ops").forEach(o -> ops.add(o.asText()));
            families.add(new ZooFamily(f.get("family").asText(), f.get("architecture").asText(),
                    f.get("size").asInt(), f.get("classes").asInt(), ops, dir.resolve(f.get("onnx").asText()),
                    dir.resolve(f.get("logits").asText()), dir.resolve(f.get("calibration_images").asText()),
                    dir.resolve(f.get("test_images").asText()),
                    f.has("fx_sqnr_db") ? f.get("fx_sqnr_db").asDouble() : Double.NaN,
                    f.has("fx_error") ? f.get("fx_error").asText() : null));
        }
        return new ModelZoo(dir, root.get("size").asText(), root.get("images").asText(),
                root.get("fx_qconfig").asText(), families);
    }

    public ZooFamily family(String name) {
        return families.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no family " + name + " in " + dir));
    }

    private static Path findRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("tools/zoo/zoo.py"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("tools/zoo/zoo.py not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
