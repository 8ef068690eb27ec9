package dev.edgeq.device.update;

import dev.edgeq.device.files.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Accepted model updates on disk, safe against a crash or power cut at any point:
 * <pre>
 * DIR/&lt;sha256&gt;.eqm, DIR/&lt;sha256&gt;.eqm.sig   model files, never modified once renamed into place
 * DIR/current, DIR/previous                   one SHA-256 each: the model to run, the one before it
 * </pre>
 * Every file is written to a temporary name, fsynced, renamed, and the folder fsynced (so the rename is
 * durable). The model files are in place before {@code current} names them, so {@code current} always
 * names a complete file (or, after a power cut on a file system that reorders, one that fails its check,
 * and then {@code previous} runs). Files named by neither pointer are deleted.
 */
public final class ModelStore {
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{64}");
    private final Path dir;
    private final Consumer<String> log;

    /** One stored model: its file and its signature. */
    public record Stored(String sha256, Path model, Path signature) {}

    public ModelStore(Path dir, Consumer<String> log) {
        this.dir = dir;
        this.log = log;
    }

    public Path dir() { return dir; }

    /** Stores the model and makes it current; the current one becomes previous. */
    public void install(String sha256, byte[] model, byte[] signature) throws IOException {
        if (!SHA.matcher(sha256).matches()) throw new IllegalArgumentException("not a SHA-256: " + sha256);
        Files.createDirectories(dir);
        writeDurably(dir.resolve(sha256 + ".eqm"), model);
        writeDurably(dir.resolve(sha256 + ".eqm.sig"), signature);
        String old = pointer("current");
        if (old != null && !old.equals(sha256)) writeDurably(dir.resolve("previous"), (old + "\n").getBytes(StandardCharsets.US_ASCII));
        writeDurably(dir.resolve("current"), (sha256 + "\n").getBytes(StandardCharsets.US_ASCII));
        prune();
    }

    /** The models to try at start, best first: current, then previous (those that exist). */
    public List<Stored> candidates() {
        List<Stored> out = new ArrayList<>();
        for (String name : new String[] {"current", "previous"}) {
            String sha = pointer(name);
            if (sha == null) continue;
            Stored s = new Stored(sha, dir.resolve(sha + ".eqm"), dir.resolve(sha + ".eqm.sig"));
            if (Files.isRegularFile(s.model()) && Files.isRegularFile(s.signature())) {
                if (out.stream().noneMatch(o -> o.sha256().equals(sha))) out.add(s);
            } else {
                log.accept("model store " + dir + ": " + name + " names " + sha + ", whose files are missing");
            }
        }
        return out;
    }

    /** Makes {@code sha256} current again (after the current one failed its check at start). */
    public void makeCurrent(String sha256) throws IOException {
        writeDurably(dir.resolve("current"), (sha256 + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private String pointer(String name) {
        Path p = dir.resolve(name);
        try {
            if (!Files.isRegularFile(p)) return null;
            String s = Files.readString(p, StandardCharsets.US_ASCII).trim();
            if (SHA.matcher(s).matches()) return s;
            log.accept("model store: " + p + " does not hold a SHA-256; ignored");
        } catch (IOException e) {
            log.accept("model store: cannot read " + p + ": " + e.getMessage());
        }
        return null;
    }

    private void prune() {
        Set<String> keep = new HashSet<>();
        for (String name : new String[] {"current", "previous"}) {
            String sha = pointer(name);
            if (sha != null) keep.add(sha);
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String f = p.getFileName().toString();
                boolean model = f.endsWith(".eqm") || f.endsWith(".eqm.sig") || f.endsWith(".tmp");
                if (model && !keep.contains(f.substring(0, Math.min(64, f.length())))) Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.accept("model store: cannot remove old models in " + dir + ": " + e.getMessage());
        }
    }

    private static void writeDurably(Path target, byte[] bytes) throws IOException {
        AtomicFile.write(target, bytes, AtomicFile.Durability.FSYNC);
    }
}
