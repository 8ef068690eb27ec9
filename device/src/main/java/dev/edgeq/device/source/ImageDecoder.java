package dev.edgeq.device.source;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;

/**
 * Decodes PNG/JPEG files into a {@link Frame}: 8-bit gray images as {@link PixelFormat#GRAY} (raster values
 * as stored, no color-space conversion), everything else as {@link PixelFormat#RGB} (sRGB).
 *
 * <p>Truncated files are rejected: ImageIO's JPEG reader returns a partly grey image for a truncated file
 * and only reports a warning, so warnings count as errors here.
 */
public final class ImageDecoder {

    /** A file that is not a readable image. */
    public static final class BadImageException extends IOException {
        public BadImageException(String message) {
            super(message);
        }
    }

    private ImageDecoder() {}

    public static boolean isImageName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    public static BufferedImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such file");
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) throw new BadImageException(file + ": cannot open");
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw new BadImageException(file + ": not a PNG or JPEG image");
            ImageReader reader = readers.next();
            String[] warning = new String[1];
            try {
                reader.addIIOReadWarningListener((source, w) -> { if (warning[0] == null) warning[0] = w; });
                reader.setInput(in, true, true);
                checkSize(file, reader.getWidth(0), reader.getHeight(0));
                BufferedImage img = reader.read(0);
                if (warning[0] != null) throw new BadImageException(file + ": damaged image (" + warning[0] + ")");
                if (img == null || img.getWidth() < 1 || img.getHeight() < 1) throw new BadImageException(file + ": empty image");
                return img;
            } catch (BadImageException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                // javax.imageio throws IIOException for bad data, and sometimes unchecked exceptions
                // (IndexOutOfBounds, IllegalArgument) from deep inside the decoders for corrupt streams.
                throw new BadImageException(file + ": cannot decode (" + e.getMessage() + ")");
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * Refuses an image whose header promises more pixels than this JVM can hold, before the decoder
     * allocates its raster: about 8 bytes a pixel (decoded raster plus the frame), at most a quarter of the
     * heap, and never more than {@link #MAX_PIXELS}. A 40-byte PNG can claim 30000 x 30000 pixels.
     */
    static void checkSize(Path file, int width, int height) throws BadImageException {
        long pixels = (long) width * height;
        long limit = Math.min(MAX_PIXELS, Runtime.getRuntime().maxMemory() / 4 / 8);
        if (width < 1 || height < 1 || pixels > limit) {
            throw new BadImageException(file + ": " + width + "x" + height + " pixels, more than the " + limit
                    + " this JVM decodes (heap " + Runtime.getRuntime().maxMemory() + " bytes, -Xmx)");
        }
    }

    /** Largest image decoded at all (a 12 MP camera still is 4056x3040). */
    static final long MAX_PIXELS = 1L << 26;

    /** Decodes into {@code into}, reusing its buffer when it is large enough. */
    public static void decode(Path file, Frame into) throws IOException {
        toFrame(read(file), into);
        into.origin = file.getFileName().toString();
    }

    public static void toFrame(BufferedImage img, Frame into) {
        int w = img.getWidth();
        int h = img.getHeight();
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            byte[] dst = into.ensureCapacity(w * h);
            Raster r = img.getRaster();
            int[] row = null;
            for (int y = 0; y < h; y++) {
                row = r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) dst[y * w + x] = (byte) row[x];
            }
            into.setGray(w, h, w);
        } else if (img.getType() == BufferedImage.TYPE_USHORT_GRAY) {
            byte[] dst = into.ensureCapacity(w * h);
            int[] row = null;
            for (int y = 0; y < h; y++) {
                row = img.getRaster().getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) dst[y * w + x] = (byte) (row[x] >>> 8);
            }
            into.setGray(w, h, w);
        } else {
            byte[] dst = into.ensureCapacity(w * h * 3);
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                int o = y * w * 3;
                for (int x = 0; x < w; x++) {
                    int p = row[x];
                    dst[o++] = (byte) (p >>> 16);
                    dst[o++] = (byte) (p >>> 8);
                    dst[o++] = (byte) p;
                }
            }
            into.setRgb(w, h, w * 3);
        }
    }

    /** The frame as an image (gray or RGB), for capture and tests; I420 frames are converted to RGB. */
    public static BufferedImage toImage(Frame f) {
        int w = f.width;
        int h = f.height;
        if (f.format == PixelFormat.GRAY) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int y = 0; y < h; y++) System.arraycopy(f.data, y * f.stride, dst, y * w, w);
            return img;
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                rgbAt(f, x, y, rgb);
                img.setRGB(x, y, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
            }
        }
        return img;
    }

    /** One pixel as R, G, B (gray frames give R = G = B; I420 converted full-range BT.601). */
    public static void rgbAt(Frame f, int x, int y, int[] rgb) {
        switch (f.format) {
            case GRAY -> { int v = f.data[y * f.stride + x] & 0xFF; rgb[0] = v; rgb[1] = v; rgb[2] = v; }
            case RGB -> {
                int o = y * f.stride + x * 3;
                rgb[0] = f.data[o] & 0xFF; rgb[1] = f.data[o + 1] & 0xFF; rgb[2] = f.data[o + 2] & 0xFF;
            }
            case I420 -> {
                I420Layout l = f.i420Layout();
                int yv = f.data[y * l.yStride() + x] & 0xFF;
                int c = (y >> 1) * l.chromaStride() + (x >> 1);
                int u = f.data[l.uOffset() + c] & 0xFF;
                int v = f.data[l.vOffset() + c] & 0xFF;
                YuvToRgb.convert(yv, u, v, rgb);
            }
        }
    }
}
