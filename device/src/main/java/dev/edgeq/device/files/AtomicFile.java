package dev.edgeq.device.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file so that a crash or a power cut leaves either its old or its new content, never a
 * part: the content goes to {@code NAME.tmp} beside it, which is renamed over {@code NAME}
 * atomically. With {@link Durability#FSYNC} the file is flushed to the device before the rename and
 * the folder after it, so the new content also survives a power cut right after the call returns.
 * On failure the {@code .tmp} is removed (best effort: a stray one is the caller's to delete on start).
 * The outbox, the model store, snapshots and the classified-files record all write this way.
 */
public final class AtomicFile {
    /** Whether the write is flushed to the storage device before the call returns. */
    public enum Durability {
        /** Atomic only: after a power cut the file may hold the old content. */
        NONE,
        /** Atomic and flushed: the file and its folder entry are on the device when the call returns. */
        FSYNC
    }

    private AtomicFile() {
    }

    /** The temporary file {@link #write} uses for {@code target}. */
    public static Path temporaryOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".tmp");
    }

    public static void write(Path target, byte[] content, Durability durability) throws IOException {
        write(target, ByteBuffer.wrap(content), durability);
    }

    /** Writes the remaining bytes of {@code content} as the new content of {@code target}. */
    public static void write(Path target, ByteBuffer content, Durability durability) throws IOException {
        Path tmp = temporaryOf(target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (content.hasRemaining()) {
                    ch.write(content);
                }
                if (durability == Durability.FSYNC) {
                    ch.force(true);
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + target.toAbsolutePath().getParent() + " cannot rename atomically", e);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write already failed and is reported; the stray .tmp is deleted on the next start
            }
            throw e;
        }
        if (durability == Durability.FSYNC) {
            forceFolder(target.toAbsolutePath().getParent());
        }
    }

    private static void forceFolder(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Not every file system lets a folder be opened for fsync; the rename is still atomic.
        }
    }
}
