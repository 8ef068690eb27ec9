package dev.edgeq.device.loop;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one writer of classification results, for the three places that print them: {@code run}'s MQTT
 * {@code classification} messages, {@code classify}'s lines and {@code eval --per-image}'s lines. They
 * share one schema (docs/device.md): {@code "label"} and {@code "score"} of the best class, then
 * {@code "top_k"}, best first, as {@code {"label","score"}} objects; scores with exactly 4 decimals
 * ({@code 0.0002}, never {@code 2.0E-4}), durations as {@code *_ms} with 3 decimals, timestamps ISO-8601
 * UTC with milliseconds, keys in snake_case. Around that core each use adds its context:
 * <pre>
 * run:      {"seq":12,"timestamp":"2026-11-22T00:45:12.345Z","label":"Sneaker","score":0.9731,
 *            "top_k":[{"label":"Sneaker","score":0.9731},{"label":"Sandal","score":0.0213}],
 *            "scores":{"Sneaker":0.9731,"Sandal":0.0213},
 *            "model":{"name":"fashion-seedcnn","sha256":"3f2a9c01b2e4"},
 *            "inference_ms":0.412,"latency_ms":3.104,"source":"dir:samples","frame":"sneaker_0.png"}
 * classify: {"image":"samples/coat-2.png","label":"Coat","score":0.7663,"top_k":[...],"inference_ms":11.444}
 * eval:     {"index":0,"image":"data/Coat/c1.png","true_label":"Coat","correct":true,"label":"Coat",
 *            "score":0.7663,"top_k":[...]}
 * </pre>
 *
 * <p>Writes into one reused byte buffer (non-ASCII characters as {@code \\u} escapes, so bytes are
 * characters): {@link #classification} allocates nothing once the buffer has grown to the longest
 * message; {@link #toBytes()} then allocates the one array a published message needs (Paho keeps the
 * payload array). Not thread-safe: one per loop.
 */
public final class ClassificationJson {
    private final String modelName;
    private final String sha256Prefix;
    private final String source;
    private byte[] buf = new byte[1024];
    private int len;

    /** A writer for {@code run}'s messages of one model and source. */
    public ClassificationJson(String modelName, String sha256, String source) {
        this.modelName = modelName;
        this.sha256Prefix = sha256 == null ? "" : sha256.substring(0, Math.min(12, sha256.length()));
        this.source = source;
    }

    /** A writer for {@code classify} and {@code eval} lines. */
    public ClassificationJson() {
        this("", "", "");
    }

    /** Writes {@code run}'s classification message; read it with {@link #toBytes()}. Allocates nothing. */
    public ClassificationJson classification(long seq, long epochMillis, FrameClassifier.Result r, long latencyNanos,
                                             String frameOrigin) {
        len = 0;
        ascii("{\"seq\":");
        number(seq);
        ascii(",\"timestamp\":\"");
        timestamp(epochMillis);
        ascii("\",");
        core(r);
        ascii(",\"scores\":{");
        for (int i = 0; i < r.count(); i++) {
            if (i > 0) put(',');
            string(r.label(i));
            put(':');
            score(r.score(i));
        }
        ascii("},\"model\":{\"name\":");
        string(modelName);
        ascii(",\"sha256\":");
        string(sha256Prefix);
        ascii("},\"inference_ms\":");
        millis(r.inferenceNanos());
        ascii(",\"latency_ms\":");
        millis(latencyNanos);
        ascii(",\"source\":");
        string(source);
        if (frameOrigin != null && !frameOrigin.isEmpty()) {
            ascii(",\"frame\":");
            string(frameOrigin);
        }
        put('}');
        return this;
    }

    /** {@code classify}'s line for one image. */
    public String classifyLine(String image, FrameClassifier.Result r) {
        len = 0;
        ascii("{\"image\":");
        string(image);
        put(',');
        core(r);
        ascii(",\"inference_ms\":");
        millis(r.inferenceNanos());
        put('}');
        return toString();
    }

    /**
     * {@code eval --per-image}'s line: the image (its file, when it has one), its true class and label, the
     * result; {@code correct} when the best class is the true one.
     */
    public String evalLine(int index, String imageOrNull, int trueClass, String trueLabel, FrameClassifier.Result r) {
        len = 0;
        ascii("{\"index\":");
        number(index);
        if (imageOrNull != null) {
            ascii(",\"image\":");
            string(imageOrNull);
        }
        ascii(",\"true_label\":");
        string(trueLabel);
        ascii(",\"correct\":");
        ascii(r.count() > 0 && r.index(0) == trueClass ? "true" : "false");
        put(',');
        core(r);
        put('}');
        return toString();
    }

    /** The message written last, as a new array of its length (the payload to publish). */
    public byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    /** The message written last (ASCII). */
    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.US_ASCII);
    }

    /** {@code "label":..,"score":..,"top_k":[..]}: the part every classification output shares. */
    private void core(FrameClassifier.Result r) {
        ascii("\"label\":");
        string(r.count() > 0 ? r.label(0) : "");
        ascii(",\"score\":");
        score(r.count() > 0 ? r.score(0) : 0f);
        ascii(",\"top_k\":[");
        for (int i = 0; i < r.count(); i++) {
            if (i > 0) put(',');
            ascii("{\"label\":");
            string(r.label(i));
            ascii(",\"score\":");
            score(r.score(i));
            put('}');
        }
        put(']');
    }

    private void put(char c) {
        if (len == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
        buf[len++] = (byte) c;
    }

    private void ascii(String s) {
        for (int i = 0; i < s.length(); i++) put(s.charAt(i));
    }

    private void string(String s) {
        put('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                put('\\');
                put(c);
            } else if (c < 0x20 || c >= 0x7f) {
                ascii("\\u");
                for (int shift = 12; shift >= 0; shift -= 4) put(Character.forDigit((c >> shift) & 0xF, 16));
            } else {
                put(c);
            }
        }
        put('"');
    }

    private void number(long v) {
        if (v < 0) {
            put('-');
            v = -v;
        }
        long div = 1;
        while (div <= v / 10) div *= 10;
        for (; div > 0; div /= 10) put((char) ('0' + (v / div) % 10));
    }

    /** Non-negative v / 10^decimals with exactly {@code decimals} digits after the point. */
    private void fixed(long v, int decimals, long unit) {
        number(v / unit);
        put('.');
        long frac = v % unit;
        for (long div = unit / 10; div > 0; div /= 10) put((char) ('0' + (frac / div) % 10));
    }

    /** 0..1 with 4 decimals. */
    private void score(float s) {
        fixed(Math.round(Math.max(0.0, s) * 10_000.0), 4, 10_000);
    }

    /** Nanoseconds as milliseconds with 3 decimals. */
    private void millis(long nanos) {
        fixed((Math.max(0, nanos) + 500) / 1000, 3, 1000);
    }

    private void two(long v) {
        put((char) ('0' + v / 10));
        put((char) ('0' + v % 10));
    }

    /** "yyyy-MM-ddTHH:mm:ss.SSSZ" from epoch milliseconds (civil-from-days, proleptic Gregorian). */
    private void timestamp(long millis) {
        long days = Math.floorDiv(millis, 86_400_000L);
        long ms = Math.floorMod(millis, 86_400_000L);
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        if (m <= 2) y++;
        number(y);
        put('-');
        two(m);
        put('-');
        two(d);
        put('T');
        two(ms / 3_600_000);
        put(':');
        two(ms / 60_000 % 60);
        put(':');
        two(ms / 1000 % 60);
        put('.');
        put((char) ('0' + ms % 1000 / 100));
        two(ms % 100);
        put('Z');
    }

    /** An ISO-8601 UTC timestamp with milliseconds, as every edgeq message writes it (e.g. stats). */
    public static String isoMillis(long epochMillis) {
        ClassificationJson w = new ClassificationJson();
        w.timestamp(epochMillis);
        return w.toString();
    }
}
