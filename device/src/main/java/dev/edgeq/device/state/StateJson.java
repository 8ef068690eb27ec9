package dev.edgeq.device.state;

import dev.edgeq.device.loop.ClassificationJson;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * The retained {@code state} message (documented in docs/device.md):
 * {@code {"state":"open","score":0.9312,"timestamp":"2026-12-02T10:00:00Z","model":"garage-door"}}.
 * Built only when a state changes.
 */
public final class StateJson {
    private StateJson() {}

    public static byte[] build(String label, float score, Instant time, String modelName) {
        StringBuilder sb = new StringBuilder(128).append("{\"state\":");
        ClassificationJson.quote(sb, label);
        sb.append(",\"score\":").append(String.format(Locale.ROOT, "%.4f", score));
        sb.append(",\"timestamp\":\"").append(time).append("\",\"model\":");
        ClassificationJson.quote(sb, modelName);
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }
}
