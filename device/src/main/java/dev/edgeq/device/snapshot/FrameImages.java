package dev.edgeq.device.snapshot;

import dev.edgeq.imaging.Frame;
import dev.edgeq.imaging.I420Layout;
import dev.edgeq.imaging.YuvToRgb;

import java.awt.image.BufferedImage;

/** A rectangle of a frame as an image, for snapshots (not on the per-frame path: it allocates). */
public final class FrameImages {
    private FrameImages() {}

    /** {@code rect} = x, y, w, h in frame pixels. Gray frames give gray images; RGB and I420 give RGB. */
    public static BufferedImage crop(Frame f, int[] rect) {
        int x0 = rect[0], y0 = rect[1], w = rect[2], h = rect[3];
        byte[] d = f.data;
        switch (f.format) {
            case GRAY -> {
                BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
                byte[] out = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
                for (int y = 0; y < h; y++) System.arraycopy(d, (y0 + y) * f.stride + x0, out, y * w, w);
                return img;
            }
            case RGB -> {
                BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < h; y++) {
                    int p = (y0 + y) * f.stride + x0 * 3;
                    for (int x = 0; x < w; x++, p += 3) {
                        img.setRGB(x, y, ((d[p] & 0xFF) << 16) | ((d[p + 1] & 0xFF) << 8) | (d[p + 2] & 0xFF));
                    }
                }
                return img;
            }
            case I420 -> {
                I420Layout l = f.i420Layout();
                BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < h; y++) {
                    int sy = y0 + y;
                    for (int x = 0; x < w; x++) {
                        int sx = x0 + x;
                        int yy = d[sy * l.yStride() + sx] & 0xFF;
                        int c = (sy >> 1) * l.chromaStride() + (sx >> 1);
                        int u = d[l.uOffset() + c] & 0xFF;
                        int v = d[l.vOffset() + c] & 0xFF;
                        img.setRGB(x, y, (YuvToRgb.red(yy, v) << 16) | (YuvToRgb.green(yy, u, v) << 8) | YuvToRgb.blue(yy, u));
                    }
                }
                return img;
            }
            default -> throw new IllegalStateException("unknown pixel format " + f.format);
        }
    }
}
