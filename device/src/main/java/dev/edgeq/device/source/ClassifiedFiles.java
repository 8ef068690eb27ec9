package dev.edgeq.device.source;

import dev.edgeq.device.files.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a watching {@code dir:} source has classified, kept in a file of the state folder so that a restart
 * does not classify the same images again under new sequence numbers (consumers could not tell them from
 * new ones). An image is known by its file name, size and modification time: a file replaced under the
 * same name is new. One line per image, {@code SIZE TAB MTIME_MILLIS TAB NAME}, appended after the image's
 * message is in the outbox; a {@code kill -9} between the two can repeat that one image.
 */
public final class ClassifiedFiles {
    private final Path file;
    private final Consumer<String> log;
    private final Map<String, String> stamps = new HashMap<>();
    private boolean writeFailed;

    private ClassifiedFiles(Path file, Consumer<String> log) {
        this.file = file;
        this.log = log;
    }

    /** The record for the folder {@code dir}, in {@code stateDir} (read now if it exists). */
    public static ClassifiedFiles open(Path stateDir, Path dir, Consumer<String> log) throws IOException {
        String key = Integer.toHexString(dir.toAbsolutePath().normalize().toString().hashCode());
        ClassifiedFiles c = new ClassifiedFiles(stateDir.resolve("classified-" + key + ".txt"), log);
        if (Files.exists(c.file)) {
            for (String line : Files.readAllLines(c.file, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", 3);
                if (f.length == 3) c.stamps.put(f[2], f[0] + "\t" + f[1]);
            }
        }
        return c;
    }

    public Path file() { return file; }

    static String stamp(long size, long mtimeMillis) {
        return size + "\t" + mtimeMillis;
    }

    /** Whether this name with this stamp was classified before. */
    synchronized boolean contains(String name, String stamp) {
        return stamp.equals(stamps.get(name));
    }

    synchronized void add(String name, String stamp) {
        stamps.put(name, stamp);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, stamp + "\t" + name + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            writeFailed = false;
        } catch (IOException e) {
            if (!writeFailed) log.accept("cannot record classified images in " + file + " (" + e.getMessage() + "); after a restart they may be classified again");
            writeFailed = true;
        }
    }

    /** Forgets files no longer in the folder and rewrites the record, so it stays as small as the folder. */
    synchronized void retainOnly(Set<String> names) {
        if (!stamps.keySet().retainAll(names) || !Files.exists(file)) return;
        List<String> lines = new ArrayList<>();
        stamps.forEach((name, stamp) -> lines.add(stamp + "\t" + name));
        try {
            AtomicFile.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), AtomicFile.Durability.NONE);
        } catch (IOException e) {
            log.accept("cannot compact " + file + " (" + e.getMessage() + "); it is kept as it is");
        }
    }
}
