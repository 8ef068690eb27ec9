package dev.edgeq.device;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device's JSON documents: written in key order, read strictly (one object, no repeated key). */
class JsonTest {
    @Test
    void writesKeysInOrderAndReadsBackTheSameValues() throws Exception {
        Map<String, Object> o = Json.object();
        o.put("name", "caf\u00e9 \"quoted\"\n");
        o.put("count", 3);
        o.put("score", new BigDecimal("0.9312"));
        o.put("ratio", 0.25);
        o.put("none", null);
        Json.putArray(o, "list").addAll(List.of(1L, "two", true));
        Json.putObject(o, "inner").put("z", false);
        String text = new String(Json.bytes(o), StandardCharsets.UTF_8);
        assertEquals("{\"name\":\"caf\u00e9 \\\"quoted\\\"\\n\",\"count\":3,\"score\":0.9312,\"ratio\":0.25,\"none\":null,"
                + "\"list\":[1,\"two\",true],\"inner\":{\"z\":false}}", text);
        // an independent parser agrees on every value
        assertEquals(new ObjectMapper().readTree(text), new ObjectMapper().readTree(Json.pretty(o)));
        Map<String, Object> back = Json.readObject(Json.bytes(o));
        assertEquals("caf\u00e9 \"quoted\"\n", back.get("name"));
        assertEquals(3L, back.get("count"));
        assertEquals(new BigDecimal("0.9312"), back.get("score"));
        assertEquals(List.of(1L, "two", true), back.get("list"));
        assertEquals(Map.of("z", false), back.get("inner"));
        assertTrue(back.containsKey("none") && back.get("none") == null);
    }

    private static String refused(String json) {
        return assertThrows(IOException.class, () -> Json.readObject(json.getBytes(StandardCharsets.UTF_8))).getMessage();
    }

    @Test
    void anythingButExactlyOneObjectIsRefused() {
        assertTrue(refused("{\"a\":1,\"a\":2}").contains("Duplicate field 'a'"), refused("{\"a\":1,\"a\":2}"));
        assertTrue(refused("[1]").startsWith("expected a JSON object, got '['"), refused("[1]"));
        assertTrue(refused("{\"a\":1} {}").startsWith("unexpected '{' after the object"), refused("{\"a\":1} {}"));
        assertTrue(refused("{\"a\":").contains("end-of-input"), refused("{\"a\":"));
        assertTrue(refused("{a:1}").contains("Unexpected character"), refused("{a:1}"));
        assertTrue(refused("").startsWith("expected a JSON object, got the end of the input"), refused(""));
    }

    @Test
    void aStringLongerThanJacksonsDefaultLimitIsRead() throws Exception {
        String big = "A".repeat(21_000_000);
        Map<String, Object> back = Json.readObject(("{\"model\":\"" + big + "\"}").getBytes(StandardCharsets.US_ASCII));
        assertEquals(big.length(), ((String) back.get("model")).length());
    }

    @Test
    void fieldsOfTheWrongKindAreNamed() throws Exception {
        Map<String, Object> o = Json.readObject("{\"size\":\"12\",\"name\":7}".getBytes(StandardCharsets.UTF_8));
        assertEquals("field 'size' is not a whole number", assertThrows(IllegalArgumentException.class, () -> Json.whole(o, "size")).getMessage());
        assertEquals("field 'name' is not text", assertThrows(IllegalArgumentException.class, () -> Json.text(o, "name")).getMessage());
        assertEquals(null, Json.text(o, "absent"));
    }
}
