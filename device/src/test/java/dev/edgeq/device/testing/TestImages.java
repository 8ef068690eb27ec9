package dev.edgeq.device.testing;

import dev.edgeq.runtime.testing.ModelBuilder;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Images and a small real model for device tests. */
public final class TestImages {
    private TestImages() {}

    /** A smooth gray test picture with some structure (so neighbouring rows are similar, but not equal). */
    public static BufferedImage gray(int w, int h, long seed) {
        Random r = new Random(seed);
        double fx = 0.02 + r.nextDouble() * 0.05;
        double fy = 0.02 + r.nextDouble() * 0.05;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 128 + 60 * Math.sin(x * fx + seed) + 50 * Math.cos(y * fy) + (x * 7 / Math.max(1, w)) ;
                img.getRaster().setSample(x, y, 0, (int) Math.max(0, Math.min(255, v)));
            }
        }
        return img;
    }

    /** An RGB picture whose color is constant over each 2x2 block (so 4:2:0 chroma loses nothing). */
    public static BufferedImage rgbBlocks(int w, int h, long seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int bx = x >> 1;
                int by = y >> 1;
                int r = (int) (128 + 100 * Math.sin(bx * 0.11 + seed));
                int g = (int) (128 + 100 * Math.cos(by * 0.07 + bx * 0.03));
                int b = (by * 5 + bx * 3 + (int) seed) & 0xFF;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    public static Path writePng(BufferedImage img, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    /** The runtime's small real float CNN (12x12x1, labels a/b/c) written as an .eqm file. */
    public static Path smallModel(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, ModelBuilder.smallFloatCnn(7).toByteArray());
        return file;
    }

    /** n different gray 12x12 PNGs named img-00000.png ... in dir. */
    public static Path imageDir(Path dir, int n) throws IOException {
        for (int i = 0; i < n; i++) writePng(gray(12, 12, i), dir.resolve(String.format("img-%05d.png", i)));
        return dir;
    }
}
