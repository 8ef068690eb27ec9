package dev.edgeq.device.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one JSON style of edgeq's outputs (docs/device.md): snake_case keys, millisecond UTC timestamps. */
public final class JsonStyle {
    private JsonStyle() {}

    /** Every key is snake_case, except inside a {@code scores} object, whose keys are the model's labels. */
    public static void assertSnakeCase(JsonNode node) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                assertTrue(e.getKey().matches("[a-z0-9]+(_[a-z0-9]+)*"), "key '" + e.getKey() + "' is not snake_case");
                if (e.getKey().equals("timestamp")) {
                    assertTrue(e.getValue().asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
                            "timestamp with milliseconds: " + e.getValue());
                }
                if (!e.getKey().equals("scores")) assertSnakeCase(e.getValue());
            }
        } else if (node.isArray()) {
            node.forEach(JsonStyle::assertSnakeCase);
        }
    }
}
