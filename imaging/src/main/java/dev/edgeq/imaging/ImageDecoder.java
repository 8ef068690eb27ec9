package dev.edgeq.imaging;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;

/**
 * Decodes PNG/JPEG files into a {@link Frame} with the sample values as stored in the file: the one
 * decoder of edgeq (datasets, calibration, {@code classify}, {@code eval}, {@code capture}, the device).
 *
 * <p>Colour handling, the same on the desktop and on the board. The training tool reads folders with
 * Pillow's {@code convert("L")} / {@code convert("RGB")}; the values below are Pillow's except where noted.
 * <ul>
 *   <li>8-bit gray PNG, gray JPEG: {@link PixelFormat#GRAY}, raw values. No colour-space conversion:
 *       {@code BufferedImage.getRGB} treats ImageIO's gray as linear and gamma-encodes it, which turns a
 *       stored 128 into 186 and shifts every mid-gray.</li>
 *   <li>1, 2, 4-bit gray: GRAY, scaled exactly to 0..255 ({@code v * 255 / (2^bits - 1)}).</li>
 *   <li>16-bit gray and 16-bit RGB: the high byte of each sample (libpng's {@code strip_16}; Pillow does
 *       the same for RGB, but clips 16-bit gray at 255 instead).</li>
 *   <li>Palette PNG: {@link PixelFormat#RGB} from the palette entries as stored (a gray palette gives
 *       R = G = B, whose luma is exactly the gray value).</li>
 *   <li>RGB PNG, colour JPEG (YCbCr, converted to RGB by ImageIO's libjpeg-derived decoder): RGB as
 *       decoded.</li>
 *   <li>Alpha (gray + alpha, RGBA, palette transparency): dropped; the colour values are kept as stored,
 *       not composited onto a background.</li>
 *   <li>gAMA, cHRM, sRGB, iCCP chunks and JPEG ICC profiles: ignored, the values are used as stored.</li>
 *   <li>CMYK / YCCK JPEG: ImageIO cannot read them; rejected as {@link BadImageException}. Any other
 *       colour space goes through Java 2D's conversion to sRGB.</li>
 * </ul>
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

    /** Decodes into {@code into}, reusing its buffer when it is large enough. */
    public static void decode(Path file, Frame into) throws IOException {
        toFrame(read(file), into);
        into.origin = file.getFileName().toString();
    }

    /** The image's samples as stored (see the class comment), into {@code into}'s reused buffer. */
    public static void toFrame(BufferedImage img, Frame into) {
        int w = img.getWidth();
        int h = img.getHeight();
        ColorModel cm = img.getColorModel();
        Raster raster = img.getRaster();
        int[] row = new int[w];
        if (cm instanceof IndexColorModel palette) {
            byte[] dst = into.ensureCapacity(w * h * 3);
            for (int y = 0, o = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int i = row[x];
                    dst[o++] = (byte) palette.getRed(i);
                    dst[o++] = (byte) palette.getGreen(i);
                    dst[o++] = (byte) palette.getBlue(i);
                }
            }
            into.setRgb(w, h, w * 3);
        } else if (cm.getNumColorComponents() == 1 && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            byte[] dst = into.ensureCapacity(w * h);
            int bits = cm.getComponentSize(0);
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) dst[y * w + x] = (byte) toEightBits(row[x], bits);
            }
            into.setGray(w, h, w);
        } else if (cm.getNumColorComponents() == 3 && cm.getColorSpace().getType() == ColorSpace.TYPE_RGB) {
            byte[] dst = into.ensureCapacity(w * h * 3);
            for (int band = 0; band < 3; band++) {
                int bits = cm.getComponentSize(band);
                for (int y = 0; y < h; y++) {
                    raster.getSamples(0, y, w, 1, band, row);
                    for (int x = 0, o = y * w * 3 + band; x < w; x++, o += 3) dst[o] = (byte) toEightBits(row[x], bits);
                }
            }
            into.setRgb(w, h, w * 3);
        } else {
            byte[] dst = into.ensureCapacity(w * h * 3);
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0, o = y * w * 3; x < w; x++) {
                    int p = row[x];
                    dst[o++] = (byte) (p >>> 16);
                    dst[o++] = (byte) (p >>> 8);
                    dst[o++] = (byte) p;
                }
            }
            into.setRgb(w, h, w * 3);
        }
    }

    /** A sample of {@code bits} bits as 0..255: exact scaling below 8 bits, the high byte above. */
    static int toEightBits(int sample, int bits) {
        if (bits == 8) return sample;
        if (bits > 8) return sample >>> (bits - 8);
        int max = (1 << bits) - 1;
        return (sample * 255 + max / 2) / max;
    }

    /**
     * The frame as a gray image for saving: gray frames as they are, the Y plane of I420 frames (what a
     * gray model reads from the camera), {@link Luma} of RGB frames.
     */
    public static BufferedImage toGrayImage(Frame f) {
        BufferedImage img = new BufferedImage(f.width, f.height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < f.height; y++) {
            for (int x = 0; x < f.width; x++) {
                int o = y * f.stride + x * (f.format == PixelFormat.RGB ? 3 : 1);
                dst[y * f.width + x] = (byte) (f.format == PixelFormat.RGB
                        ? Luma.of(f.data[o] & 0xFF, f.data[o + 1] & 0xFF, f.data[o + 2] & 0xFF)
                        : f.data[o] & 0xFF);
            }
        }
        return img;
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
