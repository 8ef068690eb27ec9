package dev.edgeq.device.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.reader.UnicodeReader;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Fills a settings object's public fields from a YAML file: each field is a kebab-case key
 * ({@code outboxMax} is {@code outbox-max}); a field whose type is a settings class of its own is a section.
 * SnakeYAML only composes the node tree (no object construction, no tags that create classes); the values
 * are converted here, so every mistake is one error naming the file, the setting and its line: an unknown
 * key, a key given twice, a value of the wrong kind, an empty item in a list. An empty value ({@code qos:}
 * or a {@code camera:} section with nothing under it) keeps the default.
 * Field types: int, long, double, boolean, String, {@code List<String>} and settings sections.
 */
final class YamlSettings {
    /** Whole numbers as YAML writes them in decimal; hex, octal and 1_000 forms are refused, not guessed. */
    private static final Pattern WHOLE = Pattern.compile("[-+]?[0-9]+");
    /** Finite decimal numbers; {@code .inf} and {@code .nan} are refused (no setting means them). */
    private static final Pattern NUMBER = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    private final Path file;

    private YamlSettings(Path file) {
        this.file = file;
    }

    /** Reads {@code file} into {@code target}'s fields; an empty file leaves the defaults. */
    static <T> T load(Path file, T target) throws IOException {
        Node root;
        LoaderOptions options = new LoaderOptions();
        // a config is a few kilobytes: bound what a wrong file (a model, a video) can make the parser hold
        options.setCodePointLimit(1 << 20);
        options.setMaxAliasesForCollections(10);
        try (InputStream in = Files.newInputStream(file)) {
            Composer composer = new Composer(new ParserImpl(new StreamReader(new UnicodeReader(in)), options),
                    new Resolver(), options);
            root = composer.getSingleNode();
        } catch (MarkedYAMLException e) {
            Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            throw new IOException(file + ": " + problem + " (line " + (at == null ? "?" : at.getLine() + 1) + ")", e);
        } catch (YAMLException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        if (root == null || isNull(root)) return target;
        new YamlSettings(file).section(root, target, "");
        return target;
    }

    private void section(Node node, Object target, String path) throws IOException {
        if (!(node instanceof MappingNode map)) throw mismatch(node, path, "a section of settings");
        Set<String> seen = new HashSet<>();
        for (NodeTuple t : map.getValue()) {
            Node keyNode = t.getKeyNode();
            String key = keyNode instanceof ScalarNode s ? s.getValue() : "(a " + keyNode.getNodeId() + ")";
            String where = path.isEmpty() ? key : path + "." + key;
            Field f = keyNode instanceof ScalarNode ? field(target.getClass(), key) : null;
            if (f == null) {
                throw new IOException(file + ": unknown setting '" + where + "' (line " + line(keyNode) + "); known: "
                        + known(target.getClass()));
            }
            // a key given twice is a mistake (which one did the user mean?), not "the last one wins"
            if (!seen.add(key)) throw new IOException(file + ": duplicate setting '" + where + "' (line " + line(keyNode) + ")");
            Node value = t.getValueNode();
            if (isNull(value)) continue;
            try {
                set(f, target, value, where);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(f + " is a public field", e);
            }
        }
    }

    private void set(Field f, Object target, Node value, String where) throws IOException, IllegalAccessException {
        Class<?> type = f.getType();
        if (type == List.class) {
            if (!(value instanceof SequenceNode seq)) throw mismatch(value, where, "a list");
            List<String> items = new ArrayList<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                Node item = seq.getValue().get(i);
                if (isNull(item)) throw mismatch(item, where + "[" + i + "]", "text (an empty item is not allowed)");
                items.add(text(item, where + "[" + i + "]"));
            }
            f.set(target, items);
        } else if (type == String.class) {
            f.set(target, text(value, where));
        } else if (type == int.class || type == long.class) {
            String v = text(value, where);
            if (!WHOLE.matcher(v).matches()) throw mismatch(value, where, "a whole number");
            try {
                if (type == int.class) f.setInt(target, Integer.parseInt(v));
                else f.setLong(target, Long.parseLong(v));
            } catch (NumberFormatException e) {
                throw new IOException(file + ": " + where + ": " + v + " is out of range (line " + line(value) + ")", e);
            }
        } else if (type == double.class) {
            String v = text(value, where);
            if (!NUMBER.matcher(v).matches()) throw mismatch(value, where, "a number");
            f.setDouble(target, Double.parseDouble(v));
        } else if (type == boolean.class) {
            String v = text(value, where);
            if (!v.equals("true") && !v.equals("false")) throw mismatch(value, where, "true or false");
            f.setBoolean(target, v.equals("true"));
        } else {
            section(value, f.get(target), where);
        }
    }

    private String text(Node node, String where) throws IOException {
        if (!(node instanceof ScalarNode s)) throw mismatch(node, where, "text");
        return s.getValue();
    }

    private IOException mismatch(Node node, String where, String expected) {
        String got = node instanceof ScalarNode s ? ", got '" + s.getValue() + "'"
                : node instanceof SequenceNode ? ", got a list" : node instanceof MappingNode ? ", got a section" : "";
        return new IOException(file + ": " + (where.isEmpty() ? "the file" : where) + ": expected " + expected + got
                + " (line " + line(node) + ")");
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private static Field field(Class<?> type, String key) {
        for (Field f : settings(type)) {
            if (kebab(f.getName()).equals(key)) return f;
        }
        return null;
    }

    private static List<String> known(Class<?> type) {
        return settings(type).stream().map(f -> kebab(f.getName())).toList();
    }

    private static List<Field> settings(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Field f : type.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) fields.add(f);
        }
        return fields;
    }

    /** {@code outboxMax} -> {@code outbox-max}. */
    static String kebab(String camel) {
        StringBuilder b = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) b.append('-').append(Character.toLowerCase(c));
            else b.append(c);
        }
        return b.toString();
    }
}
