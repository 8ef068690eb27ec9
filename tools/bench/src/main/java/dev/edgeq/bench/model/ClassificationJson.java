package dev.edgeq.bench.model;

import dev.edgeq.runtime.Classification;

/**
 * Writes a classification message (the fields the device publishes: seq, ISO-8601 UTC timestamp,
 * label, score, top-k, model name and hash prefix, inference latency, source) as JSON into a reused
 * byte array, without allocating: the device-loop benchmark's stand-in for the publisher's
 * serializer (which lives in the device module), so that the loop's bytes/frame show what the
 * runtime and preprocessing cost rather than a JSON library's garbage.
 */
final class ClassificationJson {
    private final byte[] buf = new byte[4096];
    private int len;

    /** Serializes; returns the length written into {@link #bytes()}. */
    int write(long seq, long epochMillis, Classification c, String model, String hashPrefix, String source) {
        len = 0;
        ascii("{\"seq\":");
        number(seq);
        ascii(",\"timestamp\":\"");
        timestamp(epochMillis);
        ascii("\",\"label\":");
        string(c.label(0));
        ascii(",\"score\":");
        decimal(c.score(0));
        ascii(",\"top\":[");
        for (int i = 0; i < c.count(); i++) {
            if (i > 0) {
                put(',');
            }
            ascii("{\"label\":");
            string(c.label(i));
            ascii(",\"score\":");
            decimal(c.score(i));
            put('}');
        }
        ascii("],\"model\":");
        string(model);
        ascii(",\"model_hash\":");
        string(hashPrefix);
        ascii(",\"inference_ms\":");
        decimal(c.inferenceNanos() / 1e6f);
        ascii(",\"source\":");
        string(source);
        put('}');
        return len;
    }

    byte[] bytes() {
        return buf;
    }

    private void put(char ch) {
        buf[len++] = (byte) ch;
    }

    private void ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            put(s.charAt(i));
        }
    }

    private void string(String s) {
        put('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' || ch == '\\') {
                put('\\');
                put(ch);
            } else if (ch < 0x20 || ch >= 0x7f) {
                ascii("\\u");
                for (int shift = 12; shift >= 0; shift -= 4) {
                    put(Character.forDigit((ch >> shift) & 0xF, 16));
                }
            } else {
                put(ch);
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
        while (div <= v / 10) {
            div *= 10;
        }
        for (; div > 0; div /= 10) {
            put((char) ('0' + (v / div) % 10));
        }
    }

    /** Four decimals, enough for scores and milliseconds. */
    private void decimal(float f) {
        long scaled = Math.round((double) f * 10000);
        if (scaled < 0) {
            put('-');
            scaled = -scaled;
        }
        number(scaled / 10000);
        put('.');
        long frac = scaled % 10000;
        for (long div = 1000; div > 0; div /= 10) {
            put((char) ('0' + (frac / div) % 10));
        }
    }

    private void two(long v) {
        put((char) ('0' + v / 10));
        put((char) ('0' + v % 10));
    }

    /** yyyy-MM-ddTHH:mm:ss.SSSZ from epoch milliseconds (civil-from-days, proleptic Gregorian). */
    private void timestamp(long millis) {
        long days = Math.floorDiv(millis, 86_400_000L);
        long ms = Math.floorMod(millis, 86_400_000L);
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        if (m <= 2) {
            y++;
        }
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
}
