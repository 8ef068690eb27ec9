package dev.edgeq.device;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The device's JSON other than classification results (those have {@code ClassificationJson}): discovery,
 * state, model status, signatures and updates, {@code bench --json}. A document is plain Java values, written
 * and read with jackson-core's streaming parser and generator only (the board jar leaves Jackson's data
 * binding out: 1.5 MB). Objects are {@code Map<String, Object>} in insertion order, arrays {@code List},
 * numbers {@code Long} or {@code BigDecimal} when read (any {@code Number} when written), then
 * {@code String}, {@code Boolean} and {@code null}.
 */
public final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            // a key given twice is refused: which one would the sender have meant?
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // a model update carries the model as one base64 string, up to model-max-bytes * 4/3 long
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private Json() {}

    /** A new, empty object (keys keep the order they are put in). */
    public static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    /** Puts a new object under {@code key} and returns it. */
    public static Map<String, Object> putObject(Map<String, Object> parent, String key) {
        Map<String, Object> o = object();
        parent.put(key, o);
        return o;
    }

    /** Puts a new array under {@code key} and returns it. */
    public static List<Object> putArray(Map<String, Object> parent, String key) {
        List<Object> a = new ArrayList<>();
        parent.put(key, a);
        return a;
    }

    /** The document on one line, UTF-8. */
    public static byte[] bytes(Object value) {
        return write(value, false);
    }

    /** The document indented, for people (signature files, {@code bench --json}). */
    public static byte[] pretty(Object value) {
        return write(value, true);
    }

    private static byte[] write(Object value, boolean pretty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) g.useDefaultPrettyPrinter();
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof Number n) {
            g.writeNumber(n.longValue());
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName((String) e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object item : l) write(g, item);
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        }
    }

    /**
     * Reads one JSON object (nothing may follow it). Throws an IOException saying what is wrong and where
     * (Jackson's line and column) for anything that is not exactly one object.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readObject(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("expected a JSON object, got " + describe(p.currentToken()));
            }
            Object root = read(p);
            JsonToken after = p.nextToken();
            if (after != null) {
                throw new IOException("unexpected " + describe(after) + " after the object at " + p.currentLocation().offsetDescription());
            }
            return (Map<String, Object>) root;
        }
    }

    private static Object read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) throw new IOException("the JSON ends early");
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> o = object();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    o.put(key, read(p));
                }
                return o;
            }
            case START_ARRAY -> {
                List<Object> a = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) a.add(read(p));
                return a;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? new BigDecimal(p.getBigIntegerValue()) : p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDecimalValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return t == JsonToken.VALUE_TRUE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IOException("unexpected " + describe(t) + " at " + p.currentLocation().offsetDescription());
        }
    }

    private static String describe(JsonToken t) {
        return t == null ? "the end of the input" : t.asString() != null ? "'" + t.asString() + "'" : t.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The text at {@code key}, or null when the key is absent or null; an error naming it when it is not text. */
    public static String text(Map<String, Object> o, String key) {
        Object v = o.get(key);
        if (v == null) return null;
        if (!(v instanceof String s)) throw new IllegalArgumentException("field '" + key + "' is not text");
        return s;
    }

    /** The whole number at {@code key}; an error naming it when it is absent or not a whole number. */
    public static long whole(Map<String, Object> o, String key) {
        if (!(o.get(key) instanceof Long v)) throw new IllegalArgumentException("field '" + key + "' is not a whole number");
        return v;
    }
}
