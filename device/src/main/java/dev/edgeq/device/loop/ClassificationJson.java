package dev.edgeq.device.loop;

import java.time.Instant;

/**
 * Writes the {@code classification} message (documented in docs/device.md):
 * <pre>
 * {"seq":12,"timestamp":"2026-11-22T00:45:12.345Z","label":"Sneaker","score":0.9731,
 *  "top_k":[{"label":"Sneaker","score":0.9731},{"label":"Sandal","score":0.0213}],
 *  "scores":{"Sneaker":0.9731,"Sandal":0.0213},
 *  "model":{"name":"fashion-seedcnn","sha256":"3f2a9c01b2e4"},
 *  "inference_ms":0.412,"latency_ms":3.104,"source":"dir:samples","frame":"sneaker_0.png"}
 * </pre>
 * One reused StringBuilder; the message bytes are the one allocation per published message.
 */
public final class ClassificationJson {
    private final StringBuilder sb = new StringBuilder(512);
    private final String modelPart;
    private final String source;

    public ClassificationJson(String modelName, String sha256, String source) {
        StringBuilder m = new StringBuilder("\"model\":{\"name\":");
        quote(m, modelName);
        m.append(",\"sha256\":");
        quote(m, sha256 == null ? "" : sha256.substring(0, Math.min(12, sha256.length())));
        m.append('}');
        this.modelPart = m.toString();
        this.source = source;
    }

    public byte[] build(long seq, Instant time, FrameClassifier.Result r, long inferenceNanos, long latencyNanos, String frameOrigin) {
        sb.setLength(0);
        sb.append("{\"seq\":").append(seq).append(",\"timestamp\":\"").append(time).append("\",\"label\":");
        quote(sb, r.label(0));
        sb.append(",\"score\":");
        score(r.score(0));
        sb.append(",\"top_k\":[");
        for (int i = 0; i < r.count(); i++) {
            if (i > 0) sb.append(',');
            sb.append("{\"label\":");
            quote(sb, r.label(i));
            sb.append(",\"score\":");
            score(r.score(i));
            sb.append('}');
        }
        sb.append("],\"scores\":{");
        for (int i = 0; i < r.count(); i++) {
            if (i > 0) sb.append(',');
            quote(sb, r.label(i));
            sb.append(':');
            score(r.score(i));
        }
        sb.append("},").append(modelPart);
        sb.append(",\"inference_ms\":");
        millis(inferenceNanos);
        sb.append(",\"latency_ms\":");
        millis(latencyNanos);
        sb.append(",\"source\":");
        quote(sb, source);
        if (frameOrigin != null && !frameOrigin.isEmpty()) {
            sb.append(",\"frame\":");
            quote(sb, frameOrigin);
        }
        sb.append('}');
        return sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private void score(float s) {
        long v = Math.round(s * 10000.0);
        sb.append(v / 10000).append('.');
        long frac = v % 10000;
        if (frac < 1000) sb.append('0');
        if (frac < 100) sb.append('0');
        if (frac < 10) sb.append('0');
        sb.append(frac);
    }

    private void millis(long nanos) {
        long micros = (nanos + 500) / 1000;
        sb.append(micros / 1000).append('.');
        long frac = micros % 1000;
        if (frac < 100) sb.append('0');
        if (frac < 10) sb.append('0');
        sb.append(frac);
    }

    public static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }
}
