package dev.edgeq.device.state;

import dev.edgeq.device.Json;
import dev.edgeq.device.loop.ClassificationJson;

import java.util.Locale;

/**
 * The retained {@code state} message (documented in docs/device.md), in the style of the classification
 * message: {@code {"state":"open","score":0.9312,"timestamp":"2026-12-02T10:00:00.123Z","model":"garage-door"}}.
 * Built only when a state changes.
 */
public final class StateJson {
    private StateJson() {}

    public static byte[] build(String label, float score, long epochMillis, String modelName) {
        java.util.Map<String, Object> o = Json.object();
        o.put("state", label);
        o.put("score", new java.math.BigDecimal(String.format(Locale.ROOT, "%.4f", score)));
        o.put("timestamp", ClassificationJson.isoMillis(epochMillis));
        o.put("model", modelName);
        return Json.bytes(o);
    }
}
