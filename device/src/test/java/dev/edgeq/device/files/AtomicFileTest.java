package dev.edgeq.device.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheContentAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("current");
        AtomicFile.write(f, "old".getBytes(StandardCharsets.US_ASCII), AtomicFile.Durability.FSYNC);
        AtomicFile.write(f, "new content".getBytes(StandardCharsets.US_ASCII), AtomicFile.Durability.NONE);
        assertEquals("new content", Files.readString(f));
        assertFalse(Files.exists(AtomicFile.temporaryOf(f)));
    }

    @Test
    void writesOnlyTheRemainingBytesOfABuffer() throws IOException {
        Path f = dir.resolve("entry.msg");
        ByteBuffer b = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5});
        b.position(2);
        AtomicFile.write(f, b, AtomicFile.Durability.FSYNC);
        assertArrayEquals(new byte[] {3, 4, 5}, Files.readAllBytes(f));
    }

    @Test
    void aFailedRenameKeepsTheOldTargetAndRemovesTheTemporaryFile() throws IOException {
        // A non-empty folder cannot be replaced by a file: the rename fails after the content was written.
        Path target = Files.createDirectory(dir.resolve("busy"));
        Files.writeString(target.resolve("inside"), "kept");
        assertThrows(IOException.class, () -> AtomicFile.write(target, new byte[] {1}, AtomicFile.Durability.FSYNC));
        assertTrue(Files.isDirectory(target));
        assertEquals("kept", Files.readString(target.resolve("inside")));
        assertFalse(Files.exists(AtomicFile.temporaryOf(target)));
    }

    @Test
    void aMissingFolderIsAnErrorThatNamesThePath() {
        Path f = dir.resolve("absent").resolve("current");
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(f, new byte[] {1}, AtomicFile.Durability.NONE));
        assertTrue(e.getMessage().contains("absent"), e.getMessage());
        assertFalse(Files.exists(f));
    }
}
