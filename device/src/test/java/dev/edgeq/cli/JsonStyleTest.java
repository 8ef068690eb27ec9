package dev.edgeq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeq.device.testing.JsonStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Issue 16 item 9: convert, inspect, eval and classify write JSON in one style (MQTT: ClassificationJsonTest). */
class JsonStyleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    @Test
    void everyCommandsJsonIsSnakeCase() throws Exception {
        Path eqm = tmp.resolve("lenet5.eqm");
        JsonNode convert = JSON.readTree(ClassifyCommandTest.runCli(new ConvertCommand(),
                Path.of("..", "models", "fashion-lenet5.onnx").toString(), "-o", eqm.toString(),
                "--calibration", "fashion-mnist:train:20", "--json"));
        JsonStyle.assertSnakeCase(convert);
        assertEquals(true, convert.has("top1_agreement"), convert.toString());

        JsonNode inspect = JSON.readTree(ClassifyCommandTest.runCli(new InspectCommand(), eqm.toString(), "--json"));
        JsonStyle.assertSnakeCase(inspect);
        assertEquals(true, inspect.has("arena_bytes"), inspect.toString());

        Path perImage = tmp.resolve("per-image.jsonl");
        JsonNode eval = JSON.readTree(ClassifyCommandTest.runCli(new EvalCommand(), eqm.toString(),
                "--dataset", "fashion-mnist:test:5", "--json", "--per-image", perImage.toString()));
        JsonStyle.assertSnakeCase(eval);
        List<String> lines = Files.readAllLines(perImage);
        assertEquals(5, lines.size());
        for (String line : lines) JsonStyle.assertSnakeCase(JSON.readTree(line));

        for (String line : ClassifyCommandTest.runCli(new ClassifyCommand(), eqm.toString(),
                Path.of("..", "samples", "bag-0.png").toString()).lines().toList()) {
            JsonStyle.assertSnakeCase(JSON.readTree(line));
        }
    }
}
