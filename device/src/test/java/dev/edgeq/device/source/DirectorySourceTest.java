package dev.edgeq.device.source;

import dev.edgeq.imaging.Frame;
import dev.edgeq.imaging.PixelFormat;
import dev.edgeq.device.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectorySourceTest {
    @TempDir Path tmp;
    private final List<String> log = new ArrayList<>();

    private static byte[] encode(BufferedImage img, String fmt) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(img, fmt, b);
        return b.toByteArray();
    }

    @Test
    void corruptAndTruncatedImagesAreSkippedLoggedOnceAndCounted() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("in"));
        BufferedImage a = TestImages.gray(30, 20, 1);
        BufferedImage b = TestImages.rgbBlocks(16, 16, 2);
        TestImages.writePng(a, dir.resolve("a.png"));
        Files.write(dir.resolve("b.jpg"), encode(b, "jpg"));
        byte[] png = encode(TestImages.gray(64, 64, 3), "png");
        Files.write(dir.resolve("c-truncated.png"), Arrays.copyOf(png, png.length / 2));
        byte[] jpg = encode(TestImages.rgbBlocks(64, 64, 4), "jpg");
        Files.write(dir.resolve("d-truncated.jpg"), Arrays.copyOf(jpg, jpg.length / 2));
        byte[] noise = new byte[500];
        new Random(3).nextBytes(noise);
        Files.write(dir.resolve("e-noise.png"), noise);
        TestImages.writePng(a, dir.resolve("f.png"));
        Files.writeString(dir.resolve("notes.txt"), "not an image, not even looked at");

        try (DirectorySource s = new DirectorySource(dir, true, 50, log::add)) {
            Frame f = new Frame();
            List<String> read = new ArrayList<>();
            while (s.next(f)) {
                read.add(f.origin);
                if (f.origin.equals("a.png")) {
                    assertEquals(PixelFormat.GRAY, f.format);
                    for (int y = 0; y < 20; y++) for (int x = 0; x < 30; x++) assertEquals(a.getRaster().getSample(x, y, 0), f.data[y * 30 + x] & 0xFF);
                }
                if (f.origin.equals("b.jpg")) assertEquals(PixelFormat.RGB, f.format);
            }
            assertEquals(List.of("a.png", "b.jpg", "f.png"), read, "the loop goes on past damaged files");
            assertEquals(3, s.skipped());
            for (String bad : List.of("c-truncated.png", "d-truncated.jpg", "e-noise.png")) {
                assertEquals(1, log.stream().filter(l -> l.contains(bad)).count(), bad + " logged once: " + log);
            }
        }
    }

    @Test
    void newImagesAreReadOnceTheyStopChanging() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("watch"));
        TestImages.writePng(TestImages.gray(8, 8, 1), dir.resolve("1.png"));
        try (DirectorySource s = new DirectorySource(dir, false, 50, log::add)) {
            Frame f = new Frame();
            assertTrue(s.next(f));
            assertEquals("1.png", f.origin);
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(200);
                    TestImages.writePng(TestImages.gray(9, 7, 2), dir.resolve("2.png"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            assertTrue(s.next(f));
            assertEquals("2.png", f.origin);
            assertEquals(9, f.width);
            t.join();
            Thread closer = new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
                s.close();
            });
            closer.start();
            assertFalse(s.next(f), "close ends a waiting next()");
            closer.join();
        }
    }

    @Test
    void fileListSourceReadsEachFileOnce() throws Exception {
        Path a = TestImages.writePng(TestImages.gray(5, 5, 1), tmp.resolve("x.png"));
        Path bad = Files.write(tmp.resolve("y.png"), new byte[] {1, 2, 3});
        try (FileListSource s = new FileListSource(List.of(a, bad, a), log::add)) {
            Frame f = new Frame();
            assertTrue(s.next(f));
            assertTrue(s.next(f));
            assertFalse(s.next(f));
            assertEquals(1, s.skipped());
        }
    }
}
