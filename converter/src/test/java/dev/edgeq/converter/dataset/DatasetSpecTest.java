package dev.edgeq.converter.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSpecTest {
    @TempDir
    Path tmp;

    @Test
    void fashionMnistTestSetReadsWithLabelsAndLimit() throws Exception {
        LabeledImages test = DatasetSpec.open("fashion-mnist:test:100", 28, 28, 1);
        assertEquals(100, test.size());
        assertEquals(10, test.classNames().size());
        // The first Fashion-MNIST test labels are 9 (Ankle boot), 2 (Pullover), 1 (Trouser), 1, 6.
        assertArrayEquals(new int[] {9, 2, 1, 1, 6}, new int[] {test.label(0), test.label(1), test.label(2), test.label(3), test.label(4)});
        byte[] pixels = new byte[28 * 28];
        test.pixels(0, pixels, 0);
        int nonZero = 0;
        for (byte p : pixels) {
            nonZero += p != 0 ? 1 : 0;
        }
        assertTrue(nonZero > 100, "an ankle boot has ink: " + nonZero);
    }

    @Test
    void fullTestSetHas10000Images() throws Exception {
        assertEquals(10000, DatasetSpec.open("fashion-mnist:test", 28, 28, 1).size());
    }

    @Test
    void folderDatasetUsesSortedSubfoldersAsClasses() throws Exception {
        writePng(tmp.resolve("cat/a.png"), 40, 20, 0xFFFFFF);
        writePng(tmp.resolve("cat/b.png"), 40, 20, 0xFFFFFF);
        writePng(tmp.resolve("bird/a.png"), 10, 10, 0x000000);
        LabeledImages set = DatasetSpec.open("folder:" + tmp, 8, 8, 1);
        assertEquals(java.util.List.of("bird", "cat"), set.classNames());
        assertEquals(3, set.size());
        assertEquals(0, set.label(0));
        assertEquals(1, set.label(2));
        byte[] px = new byte[64];
        set.pixels(2, px, 0);
        assertEquals(255, px[0] & 0xFF, "white image stays white after crop and resize");
    }

    /**
     * Mid-gray values are where decoders differ: getRGB gamma-encodes ImageIO's 8-bit gray (128 reads as
     * 186), which left pure black and white alone. A folder set must give the stored values, as the device
     * and Pillow (training) do.
     */
    @Test
    void folderDatasetKeepsMidGrayValuesAndUsesTheOneLuma() throws Exception {
        BufferedImage gray = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                gray.getRaster().setSample(x, y, 0, 60 + 8 * x + y);
            }
        }
        Files.createDirectories(tmp.resolve("gray"));
        ImageIO.write(gray, "png", tmp.resolve("gray/ramp.png").toFile());
        writePng(tmp.resolve("orange/flat.png"), 16, 16, 0xC86432);

        LabeledImages set = DatasetSpec.open("folder:" + tmp, 16, 16, 1);
        assertEquals(java.util.List.of("gray", "orange"), set.classNames());
        byte[] px = new byte[16 * 16];
        set.pixels(0, px, 0);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                assertEquals(60 + 8 * x + y, px[y * 16 + x] & 0xFF, "pixel " + x + "," + y + " as stored");
            }
        }
        set.pixels(1, px, 0);
        assertEquals(124, px[0] & 0xFF, "RGB (200, 100, 50) -> luma 124, as Pillow's convert(\"L\")");
        assertTrue(set.imageName(0).endsWith("ramp.png"), set.imageName(0));

        LabeledImages rgb = DatasetSpec.open("folder:" + tmp, 8, 8, 3);
        byte[] px3 = new byte[8 * 8 * 3];
        rgb.pixels(0, px3, 0);
        // 2x2 area average of the ramp, replicated into R, G, B
        int expected = 60 + (8 * 0 + 0 + 8 * 1 + 0 + 8 * 0 + 1 + 8 * 1 + 1 + 2) / 4;
        assertArrayEquals(new byte[] {(byte) expected, (byte) expected, (byte) expected}, java.util.Arrays.copyOf(px3, 3));
    }

    @Test
    void errorsNameTheProblem() throws Exception {
        Files.createDirectories(tmp.resolve("empty-class"));
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetSpec.open("folder:" + tmp, 8, 8, 1));
        assertTrue(e.getMessage().contains("empty-class") && e.getMessage().contains("no PNG"), e.getMessage());

        Path bad = tmp.resolve("bad");
        Files.createDirectories(bad.resolve("x"));
        Files.write(bad.resolve("x/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        e = assertThrows(DatasetException.class, () -> DatasetSpec.open("folder:" + bad, 8, 8, 1));
        assertTrue(e.getMessage().contains("broken.png"), e.getMessage());

        e = assertThrows(DatasetException.class, () -> DatasetSpec.open("idx:/nonexistent/a.gz,/nonexistent/b.gz", 28, 28, 1));
        assertTrue(e.getMessage().contains("/nonexistent/a.gz"), e.getMessage());

        e = assertThrows(DatasetException.class, () -> DatasetSpec.open("mnist:test", 28, 28, 1));
        assertTrue(e.getMessage().contains("unknown kind 'mnist'"), e.getMessage());
    }

    private static void writePng(Path file, int w, int h, int rgb) throws Exception {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }
}
