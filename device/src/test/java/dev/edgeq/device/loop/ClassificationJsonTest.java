package dev.edgeq.device.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeq.device.testing.JsonStyle;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one classification writer: what a JSON parser reads back, one schema for run, classify and eval. */
class ClassificationJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A top-3 result with a quote, a non-ASCII label and a score that Jackson would print as 2.1E-4. */
    static FrameClassifier.Result result() {
        String[] labels = {"Bag\u00e9", "Tro\"user", "T-shirt/top"};
        float[] scores = {0.87654f, 0.12325f, 0.00021f};
        return new FrameClassifier.Result() {
            @Override public int count() { return 3; }
            @Override public int index(int i) { return i; }
            @Override public String label(int i) { return labels[i]; }
            @Override public float score(int i) { return scores[i]; }
            @Override public long inferenceNanos() { return 1_234_567L; }
        };
    }

    private static JsonNode parse(byte[] bytes) throws Exception {
        return JSON.readTree(new String(bytes, StandardCharsets.US_ASCII));
    }

    @Test
    void mqttMessageHasTheDocumentedFields() throws Exception {
        ClassificationJson json = new ClassificationJson("fashion-seedcnn", "abcdef0123456789", "dir:samples");
        long millis = Instant.parse("2024-02-29T23:59:58.007Z").toEpochMilli();
        byte[] bytes = json.classification(42, millis, result(), 3_104_400L, "coat-2.png").toBytes();
        String text = new String(bytes, StandardCharsets.US_ASCII);
        JsonNode j = parse(bytes);
        assertEquals(42, j.get("seq").asLong());
        assertEquals("2024-02-29T23:59:58.007Z", j.get("timestamp").asText());
        assertEquals("Bag\u00e9", j.get("label").asText());
        assertTrue(text.contains("\"score\":0.8765,"), text);
        assertTrue(text.contains("{\"label\":\"T-shirt/top\",\"score\":0.0002}"), "fixed decimals, no exponent: " + text);
        assertEquals("Tro\"user", j.get("top_k").get(1).get("label").asText());
        assertEquals(0.1233, j.get("scores").get("Tro\"user").asDouble(), 1e-9);
        assertEquals("fashion-seedcnn", j.get("model").get("name").asText());
        assertEquals("abcdef012345", j.get("model").get("sha256").asText());
        assertTrue(text.contains("\"inference_ms\":1.235,\"latency_ms\":3.104,"), text);
        assertEquals("dir:samples", j.get("source").asText());
        assertEquals("coat-2.png", j.get("frame").asText());
        JsonStyle.assertSnakeCase(j);
    }

    @Test
    void classifyRunAndEvalShareTheCore() throws Exception {
        ClassificationJson json = new ClassificationJson("m", "h", "s");
        JsonNode run = parse(json.classification(1, 0, result(), 0, "").toBytes());
        JsonNode classify = JSON.readTree(json.classifyLine("a/b.png", result()));
        JsonNode eval = JSON.readTree(json.evalLine(7, "a/b.png", 1, "Tro\"user", result()));
        for (JsonNode other : new JsonNode[] {classify, eval}) {
            assertEquals(run.get("label"), other.get("label"));
            assertEquals(run.get("score"), other.get("score"));
            assertEquals(run.get("top_k"), other.get("top_k"));
            JsonStyle.assertSnakeCase(other);
        }
        assertEquals("a/b.png", classify.get("image").asText());
        assertEquals(1.235, classify.get("inference_ms").asDouble(), 1e-9);
        assertEquals(7, eval.get("index").asInt());
        assertEquals("Tro\"user", eval.get("true_label").asText());
        assertFalse(eval.get("correct").asBoolean());
        JsonNode idx = JSON.readTree(json.evalLine(0, null, 0, "Bag\u00e9", result()));
        assertFalse(idx.has("image"), "IDX images have no file");
        assertTrue(idx.get("correct").asBoolean());
    }

    @Test
    void timestampsMatchJavaTimeAcrossDates() {
        for (long millis : new long[] {0L, 951_782_400_000L, 1_700_000_000_123L, 4_102_444_799_999L, -86_400_001L}) {
            String expected = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                    .withZone(java.time.ZoneOffset.UTC).format(Instant.ofEpochMilli(millis));
            assertEquals(expected, ClassificationJson.isoMillis(millis), "millis " + millis);
        }
    }

    @Test
    void writingAllocatesNothingAndThePayloadIsTheOneArray() throws Exception {
        ClassificationJson json = new ClassificationJson("fashion-seedcnn", "abcdef0123456789", "dir:samples");
        FrameClassifier.Result r = result();
        for (int i = 0; i < 200_000; i++) json.classification(i, 1_700_000_000_000L + i, r, 1000, "frame.png");
        // Best of five rounds: a late JIT recompilation can allocate once; a per-call allocation shows in every round.
        dev.edgeq.runtime.testing.Allocations.assertAllocatesNothing(5, () -> {
            for (int i = 0; i < 10_000; i++) json.classification(i, 1_700_000_000_000L + i, r, 1000, "frame.png");
        }, "bytes allocated by 10000 writes");
        int length = json.toBytes().length;
        long published = dev.edgeq.runtime.testing.Allocations.fewestBytesOfAllocatingCode(5, () -> {
            for (int i = 0; i < 10_000; i++) json.classification(i, 1_700_000_000_000L, r, 1000, "frame.png").toBytes();
        });
        // one byte[] per message: a 16-byte header + the payload rounded up to 8, nothing else
        long perMessage = 16 + (length + 7) / 8 * 8;
        assertTrue(published >= (long) length * 10_000 && published <= perMessage * 10_000 + 4096,
                published + " bytes for 10000 payload arrays of " + length + " bytes");
    }
}
