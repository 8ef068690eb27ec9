package dev.edgeq.imaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of PNG and JPEG the decoder documents, written here with ImageIO's encoders (the fixtures are
 * generated, so their provenance is this file). Expected values are the samples as written, which is what
 * Pillow's {@code convert} gives for them (checked with Pillow 9.4 when this test was written).
 */
class ImageDecoderTest {
    @TempDir Path tmp;

    private Frame decode(BufferedImage img, String format, String name) throws IOException {
        Path file = tmp.resolve(name);
        assertTrue(ImageIO.write(img, format, file.toFile()), "ImageIO wrote " + name);
        Frame f = new Frame();
        ImageDecoder.decode(file, f);
        return f;
    }

    private static int at(Frame f, int x, int y, int channel) {
        int bytesPerPixel = f.format == PixelFormat.RGB ? 3 : 1;
        return f.data[y * f.stride + x * bytesPerPixel + channel] & 0xFF;
    }

    @Test
    void eightBitGrayKeepsEveryValueAsStored() throws Exception {
        BufferedImage img = new BufferedImage(256, 1, BufferedImage.TYPE_BYTE_GRAY);
        for (int v = 0; v < 256; v++) img.getRaster().setSample(v, 0, 0, v);
        Frame f = decode(img, "png", "ramp.png");
        assertEquals(PixelFormat.GRAY, f.format);
        for (int v = 0; v < 256; v++) assertEquals(v, at(f, v, 0, 0), "gray level " + v);
        // The trap this avoids: getRGB gamma-encodes ImageIO's linear gray and brightens mid-gray.
        BufferedImage read = ImageIO.read(tmp.resolve("ramp.png").toFile());
        assertNotEquals(128, read.getRGB(128, 0) & 0xFF, "getRGB converts gray 128; if this fails, the JDK changed");
    }

    @Test
    void lowBitDepthGrayIsScaledExactly() throws Exception {
        // 2-bit gray: levels 0, 1, 2, 3 mean 0, 85, 170, 255
        IndexColorModel twoBit = new IndexColorModel(2, 4, new byte[] {0, 85, (byte) 170, (byte) 255},
                new byte[] {0, 85, (byte) 170, (byte) 255}, new byte[] {0, 85, (byte) 170, (byte) 255});
        BufferedImage img = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY, twoBit);
        for (int x = 0; x < 4; x++) img.getRaster().setSample(x, 0, 0, x);
        Frame f = decode(img, "png", "gray2.png");
        for (int x = 0; x < 4; x++) assertEquals(x * 85, Luma.of(at(f, x, 0, 0), at(f, x, 0, f.format == PixelFormat.RGB ? 1 : 0),
                at(f, x, 0, f.format == PixelFormat.RGB ? 2 : 0)), "level " + x);
        assertEquals(85, ImageDecoder.toEightBits(1, 2));
        assertEquals(17 * 9, ImageDecoder.toEightBits(9, 4));
        assertEquals(255, ImageDecoder.toEightBits(1, 1));
    }

    @Test
    void sixteenBitGrayKeepsTheHighByte() throws Exception {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSample(0, 0, 0, 0x80FF);
        img.getRaster().setSample(1, 0, 0, 0x0100);
        img.getRaster().setSample(2, 0, 0, 0xFFFF);
        Frame f = decode(img, "png", "gray16.png");
        assertEquals(PixelFormat.GRAY, f.format);
        assertEquals(0x80, at(f, 0, 0, 0));
        assertEquals(0x01, at(f, 1, 0, 0));
        assertEquals(0xFF, at(f, 2, 0, 0));
    }

    @Test
    void sixteenBitRgbKeepsTheHighByteOfEachChannel() throws Exception {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), new int[] {16, 16, 16},
                false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(1, 1);
        raster.setPixel(0, 0, new int[] {0xC812, 0x64FF, 0x3200});
        Frame f = decode(new BufferedImage(cm, raster, false, null), "png", "rgb16.png");
        assertEquals(PixelFormat.RGB, f.format);
        assertEquals(0xC8, at(f, 0, 0, 0));
        assertEquals(0x64, at(f, 0, 0, 1));
        assertEquals(0x32, at(f, 0, 0, 2));
    }

    @Test
    void paletteGivesThePaletteEntriesAsStored() throws Exception {
        byte[] r = {(byte) 200, 0, 77};
        byte[] g = {100, (byte) 255, 77};
        byte[] b = {50, 10, 77};
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 3, r, g, b));
        for (int x = 0; x < 3; x++) img.getRaster().setSample(x, 0, 0, x);
        Frame f = decode(img, "png", "palette.png");
        assertEquals(PixelFormat.RGB, f.format);
        for (int x = 0; x < 3; x++) {
            assertEquals(r[x] & 0xFF, at(f, x, 0, 0));
            assertEquals(g[x] & 0xFF, at(f, x, 0, 1));
            assertEquals(b[x] & 0xFF, at(f, x, 0, 2));
        }
    }

    @Test
    void alphaIsDroppedAndColoursKeptAsStored() throws Exception {
        BufferedImage rgba = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, 0x40C86432); // alpha 0x40 over (200, 100, 50)
        rgba.setRGB(1, 0, 0x00102030); // fully transparent, colour still stored
        Frame f = decode(rgba, "png", "rgba.png");
        assertEquals(PixelFormat.RGB, f.format);
        assertEquals(200, at(f, 0, 0, 0));
        assertEquals(100, at(f, 0, 0, 1));
        assertEquals(50, at(f, 0, 0, 2));
        assertEquals(0x10, at(f, 1, 0, 0));
        assertEquals(0x30, at(f, 1, 0, 2));

        ComponentColorModel grayAlpha = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = grayAlpha.createCompatibleWritableRaster(2, 1);
        raster.setPixel(0, 0, new int[] {128, 10});
        raster.setPixel(1, 0, new int[] {77, 255});
        Frame g = decode(new BufferedImage(grayAlpha, raster, false, null), "png", "gray-alpha.png");
        assertEquals(PixelFormat.GRAY, g.format);
        assertEquals(128, at(g, 0, 0, 0));
        assertEquals(77, at(g, 1, 0, 0));
    }

    @Test
    void jpegGrayAndColour() throws Exception {
        // Flat 16x16 areas encode as DC only, so the decoded values are exact (gray) or within the
        // YCbCr rounding of the encoder and decoder (colour).
        BufferedImage gray = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) gray.getRaster().setSample(x, y, 0, 128);
        Frame g = decode(gray, "jpg", "gray.jpg");
        assertEquals(PixelFormat.GRAY, g.format);
        assertEquals(128, at(g, 5, 5, 0), "mid-gray JPEG stays 128 (no gamma conversion)");

        BufferedImage colour = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) colour.setRGB(x, y, 0xC86432);
        Frame c = decode(colour, "jpg", "colour.jpg");
        assertEquals(PixelFormat.RGB, c.format);
        int[] expected = {200, 100, 50};
        for (int ch = 0; ch < 3; ch++) {
            assertTrue(Math.abs(at(c, 5, 5, ch) - expected[ch]) <= 3, "channel " + ch + ": " + at(c, 5, 5, ch));
        }
    }

    @Test
    void notAnImageAndTruncatedFilesNameTheFile() throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.png"), "hello");
        IOException e = assertThrows(IOException.class, () -> ImageDecoder.decode(text, new Frame()));
        assertTrue(e.getMessage().contains("notes.png"), e.getMessage());

        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Path full = tmp.resolve("full.jpg");
        ImageIO.write(img, "jpg", full.toFile());
        byte[] bytes = Files.readAllBytes(full);
        Path cut = Files.write(tmp.resolve("cut.jpg"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        e = assertThrows(IOException.class, () -> ImageDecoder.decode(cut, new Frame()));
        assertTrue(e.getMessage().contains("cut.jpg"), e.getMessage());
    }

    @Test
    void grayImageForCaptureUsesTheOneLuma() {
        Frame rgb = new Frame();
        rgb.data = new byte[] {(byte) 200, 100, 50, 0, 0, (byte) 255};
        rgb.setRgb(2, 1, 6);
        BufferedImage g = ImageDecoder.toGrayImage(rgb);
        assertEquals(Luma.of(200, 100, 50), g.getRaster().getSample(0, 0, 0));
        assertEquals(Luma.of(0, 0, 255), g.getRaster().getSample(1, 0, 0));
    }
}
