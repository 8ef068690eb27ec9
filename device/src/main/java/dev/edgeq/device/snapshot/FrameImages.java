package dev.edgeq.device.snapshot;

import dev.edgeq.imaging.Frame;
import dev.edgeq.imaging.ImageDecoder;
import dev.edgeq.imaging.PixelFormat;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * A rectangle of a frame as an image, for snapshots (not on the per-frame path: it allocates). The pixel
 * conversion is {@link ImageDecoder}'s (the one the capture command saves frames with); this only crops.
 */
public final class FrameImages {
    private FrameImages() {}

    /** {@code rect} = x, y, w, h in frame pixels. Gray frames give gray images; RGB and I420 give RGB. */
    public static BufferedImage crop(Frame f, int[] rect) {
        int x0 = rect[0], y0 = rect[1], w = rect[2], h = rect[3];
        if (f.format == PixelFormat.GRAY) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            byte[] out = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int y = 0; y < h; y++) System.arraycopy(f.data, (y0 + y) * f.stride + x0, out, y * w, w);
            return img;
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ImageDecoder.rgbAt(f, x0 + x, y0 + y, rgb);
                img.setRGB(x, y, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
            }
        }
        return img;
    }
}
