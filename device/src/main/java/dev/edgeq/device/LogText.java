package dev.edgeq.device;

/**
 * Text from the network (a command payload, a topic, a path or parser message in a model update) made
 * safe for one log line: a line break in it would let a sender forge journal lines, and a long payload
 * would flood the journal.
 */
public final class LogText {
    /** The most characters of outside text one log message carries. */
    public static final int MAX = 120;

    private LogText() {}

    /** {@code text} with control characters written as {@code \n}, {@code \r}, {@code \t}, {@code \}{@code uXXXX}, cut to {@link #MAX}. */
    public static String oneLine(String text) {
        return oneLine(text, MAX);
    }

    /** As above, cut to {@code max} characters (a whole error message that embeds outside text). */
    public static String oneLine(String text, int max) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), max) + 16);
        for (int i = 0; i < text.length() && b.length() < max; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        if (b.length() >= max && text.length() > max) b.append("... (").append(text.length()).append(" chars)");
        return b.toString();
    }
}
