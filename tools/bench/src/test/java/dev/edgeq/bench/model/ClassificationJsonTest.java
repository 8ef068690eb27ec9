package dev.edgeq.bench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeq.runtime.Classification;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The device-loop benchmark's JSON writer produces what a JSON parser reads back, without allocating. */
class ClassificationJsonTest {
    static Classification classification() throws Exception {
        Constructor<Classification> c = Classification.class.getDeclaredConstructor(List.class, int.class, int.class);
        c.setAccessible(true);
        Classification r = c.newInstance(List.of("T-shirt/top", "Tro\"user", "Bag\u00e9"), 2, 3);
        float[] scores = (float[]) method("scoresArray").invoke(r);
        int[] indices = (int[]) method("indicesArray").invoke(r);
        indices[0] = 2;
        indices[1] = 1;
        scores[0] = 0.87654f;
        scores[1] = 0.1f;
        method("set", int.class, long.class).invoke(r, 2, 1_234_567L);
        return r;
    }

    private static Method method(String name, Class<?>... types) throws Exception {
        Method m = Classification.class.getDeclaredMethod(name, types);
        m.setAccessible(true);
        return m;
    }

    @Test
    void writesParsableJsonWithTheFields() throws Exception {
        ClassificationJson json = new ClassificationJson();
        long millis = Instant.parse("2024-02-29T23:59:58.007Z").toEpochMilli();
        int n = json.write(42, millis, classification(), "fashion-seedcnn", "abcdef012345", "bench");
        JsonNode j = new ObjectMapper().readTree(new String(json.bytes(), 0, n, StandardCharsets.US_ASCII));
        assertEquals(42, j.get("seq").asLong());
        assertEquals("2024-02-29T23:59:58.007Z", j.get("timestamp").asText());
        assertEquals("Bag\u00e9", j.get("label").asText());
        assertEquals(0.8765, j.get("score").asDouble(), 1e-9);
        assertEquals(2, j.get("top").size());
        assertEquals("Tro\"user", j.get("top").get(1).get("label").asText());
        assertEquals(0.1, j.get("top").get(1).get("score").asDouble(), 1e-9);
        assertEquals(1.2346, j.get("inference_ms").asDouble(), 1e-9);
        assertEquals("abcdef012345", j.get("model_hash").asText());
    }

    @Test
    void timestampsMatchJavaTimeAcrossDates() throws Exception {
        ClassificationJson json = new ClassificationJson();
        Classification c = classification();
        for (long millis : new long[] {0L, 951_782_400_000L, 1_700_000_000_123L, 4_102_444_799_999L}) {
            int n = json.write(1, millis, c, "m", "h", "s");
            JsonNode j = new ObjectMapper().readTree(new String(json.bytes(), 0, n, StandardCharsets.US_ASCII));
            assertEquals(Instant.ofEpochMilli(millis).toString().replace("Z", ""),
                    j.get("timestamp").asText().replace(".000Z", "").replace("Z", ""), "millis " + millis);
        }
    }

    @Test
    void allocatesNothingOnceCompiled() throws Exception {
        ClassificationJson json = new ClassificationJson();
        Classification c = classification();
        for (int i = 0; i < 200_000; i++) {
            json.write(i, 1_700_000_000_000L + i, c, "fashion-seedcnn", "abcdef012345", "bench");
        }
        // A late JIT recompilation can allocate once; a writer that allocates per call does so in
        // every round: the best of five rounds must be exactly 0.
        long allocated = dev.edgeq.runtime.testing.Allocations.fewestBytes(5, () -> {
            for (int i = 0; i < 10_000; i++) {
                json.write(i, 1_700_000_000_000L + i, c, "fashion-seedcnn", "abcdef012345", "bench");
            }
        });
        assertEquals(0, allocated, "bytes allocated by 10000 writes (best of 5 rounds)");
    }
}
