package dev.edgeq.imaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageFilesTest {
    @TempDir Path tmp;

    @Test
    void midGrayFileGivesTheDevicesPixels() throws Exception {
        // 56x40 mid-gray gradient -> 28x28: center crop 40x40, then 2x2... area averages of raw values
        BufferedImage img = new BufferedImage(56, 40, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 40; y++) for (int x = 0; x < 56; x++) img.getRaster().setSample(x, y, 0, 100 + (x + y) % 60);
        Path file = tmp.resolve("mid-gray.png");
        ImageIO.write(img, "png", file.toFile());

        byte[] read = new byte[28 * 28];
        new ImageFiles(28, 28, 1).read(file, read, 0);

        Frame raw = new Frame();
        raw.data = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        raw.setGray(56, 40, 56);
        byte[] expected = new byte[28 * 28];
        new AreaResampler(28, 28, 1).process(raw, expected, 0);
        assertArrayEquals(expected, read);
        // crop starts at x = 8: output (0, 0) averages rows 0..1 x columns 8..9 of 100 + (x + y) % 60
        int first = 100 + (8 + 9 + 9 + 10 + 2) / 4;
        assertEquals(first, read[0] & 0xFF);
    }
}
