package dev.edgeq.device.snapshot;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * JPEG with a size bound: encoded at the configured quality; if larger than {@code maxBytes}, at lower
 * quality (down to 0.3), then at half the size, until it fits (an MQTT message for a retained camera image
 * should stay small; Home Assistant shows it as is).
 */
public final class JpegEncoder {
    private final float quality;
    private final int maxBytes;

    public JpegEncoder(double quality, int maxBytes) {
        if (!(quality > 0 && quality <= 1)) throw new IllegalArgumentException("snapshot-quality: expected 0 < q <= 1, got " + quality);
        if (maxBytes < 1024) throw new IllegalArgumentException("snapshot-max-bytes: expected >= 1024, got " + maxBytes);
        this.quality = (float) quality;
        this.maxBytes = maxBytes;
    }

    public byte[] encode(BufferedImage img) throws IOException {
        BufferedImage current = img;
        while (true) {
            for (float q = quality; ; q = Math.max(0.3f, q - 0.2f)) {
                byte[] jpeg = encode(current, q);
                if (jpeg.length <= maxBytes) return jpeg;
                if (q <= 0.3f) break;
            }
            if (current.getWidth() < 16 || current.getHeight() < 16) {
                throw new IOException("snapshot does not fit in " + maxBytes + " bytes even at " + current.getWidth() + "x" + current.getHeight());
            }
            current = half(current);
        }
    }

    private static BufferedImage half(BufferedImage img) {
        int w = Math.max(1, img.getWidth() / 2);
        int h = Math.max(1, img.getHeight() / 2);
        BufferedImage out = new BufferedImage(w, h, img.getType() == BufferedImage.TYPE_BYTE_GRAY ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.drawImage(img.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING), 0, 0, null);
        g.dispose();
        return out;
    }

    private static byte[] encode(BufferedImage img, float q) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            w.setOutput(out);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(q);
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
        return bytes.toByteArray();
    }
}
