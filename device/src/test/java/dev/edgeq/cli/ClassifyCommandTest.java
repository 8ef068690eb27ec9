package dev.edgeq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeq.device.loop.ClassificationLoop;
import dev.edgeq.device.loop.PublishPolicy;
import dev.edgeq.device.loop.RuntimeFrameClassifier;
import dev.edgeq.device.region.Region;
import dev.edgeq.device.region.RegionRunner;
import dev.edgeq.device.source.FileListSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassifyCommandTest {
    private static final Path MODEL = Path.of("..", "models", "fashion-seedcnn.eqm");
    private static final List<Path> SAMPLES = List.of(Path.of("..", "samples", "coat-2.png"), Path.of("..", "samples", "shirt-2.png"),
            Path.of("..", "samples", "ankle-boot-0.png"));

    static String runCli(Object command, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, new CommandLine(command).execute(args));
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Issue 13's reproduction: {@code classify} decoded with getRGB (gamma-converted gray) and another
     * resampler, so coat-2.png scored 0.6938 there and 0.7663 on the device. Now both read the file
     * through the same decoder and resampler and must agree to the last digit.
     */
    @Test
    void classifyAndTheDeviceGiveTheSameScoresForTheSamePng() throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(MODEL.toString(), "--top-k", "3"));
        SAMPLES.forEach(p -> args.add(p.toString()));
        Map<String, String> cli = new LinkedHashMap<>();
        ObjectMapper om = new ObjectMapper();
        for (String line : runCli(new ClassifyCommand(), args.toArray(String[]::new)).lines().toList()) {
            JsonNode j = om.readTree(line);
            StringBuilder top = new StringBuilder();
            for (JsonNode e : j.get("top_k")) top.append(entry(e.get("label").asText(), e.get("score").asDouble()));
            cli.put(Path.of(j.get("image").asText()).getFileName().toString(), top.toString());
        }

        Map<String, String> device = new LinkedHashMap<>();
        try (RuntimeFrameClassifier classifier = RuntimeFrameClassifier.open(MODEL, 3)) {
            RegionRunner center = new RegionRunner(List.of(Region.CENTER), classifier, () -> new PublishPolicy(true, 0, 0),
                    new RegionRunner.Settings(0.8, 3, 0, false, 6));
            ClassificationLoop loop = new ClassificationLoop(new FileListSource(SAMPLES, m -> { }), center,
                    (region, r, latency, origin) -> {
                        StringBuilder top = new StringBuilder();
                        for (int i = 0; i < r.count(); i++) top.append(entry(r.label(i), r.score(i)));
                        device.put(origin, top.toString());
                    }, 0, m -> { });
            loop.run();
        }
        assertEquals(SAMPLES.size(), device.size());
        assertEquals(device, cli);
    }

    private static String entry(String label, double score) {
        return String.format(java.util.Locale.ROOT, "%s=%.4f ", label, score);
    }
}
