package dev.edgeq.device.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeq.device.loop.ClassificationJson;

import java.util.Locale;

/**
 * The retained {@code state} message (documented in docs/device.md), in the style of the classification
 * message: {@code {"state":"open","score":0.9312,"timestamp":"2026-12-02T10:00:00.123Z","model":"garage-door"}}.
 * Built only when a state changes.
 */
public final class StateJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StateJson() {}

    public static byte[] build(String label, float score, long epochMillis, String modelName) {
        ObjectNode o = JSON.createObjectNode();
        o.put("state", label);
        o.put("score", new java.math.BigDecimal(String.format(Locale.ROOT, "%.4f", score)));
        o.put("timestamp", ClassificationJson.isoMillis(epochMillis));
        o.put("model", modelName);
        try {
            return JSON.writeValueAsBytes(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
