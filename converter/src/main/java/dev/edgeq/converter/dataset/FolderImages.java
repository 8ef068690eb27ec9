package dev.edgeq.converter.dataset;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A folder with one subfolder per class holding PNG/JPEG images (the layout {@code edgeq capture}
 * writes and the training tool reads). Classes are the subfolder names in sorted order. Images are
 * decoded and resized once, when the set is opened.
 */
public final class FolderImages implements LabeledImages {
    private final List<String> classNames;
    private final int[] labels;
    private final byte[] pixels;
    private final int height;
    private final int width;
    private final int channels;
    private final String description;

    private FolderImages(List<String> classNames, int[] labels, byte[] pixels, int height, int width, int channels, String description) {
        this.classNames = classNames;
        this.labels = labels;
        this.pixels = pixels;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.description = description;
    }

    public static FolderImages read(Path dir, int limit, int height, int width, int channels) throws DatasetException {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(dir + ": not a folder (expected one subfolder of images per class)");
        }
        List<String> classes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labelList = new ArrayList<>();
        try (Stream<Path> sub = Files.list(dir)) {
            for (Path classDir : sub.filter(Files::isDirectory).sorted().toList()) {
                List<Path> images;
                try (Stream<Path> s = Files.list(classDir)) {
                    images = s.filter(FolderImages::isImage).sorted().toList();
                }
                if (images.isEmpty()) {
                    throw new DatasetException(classDir + ": class folder has no PNG or JPEG images");
                }
                classes.add(classDir.getFileName().toString());
                for (Path p : images) {
                    files.add(p);
                    labelList.add(classes.size() - 1);
                }
            }
        } catch (IOException e) {
            throw new DatasetException(dir + ": " + e.getMessage(), e);
        }
        if (classes.isEmpty()) {
            throw new DatasetException(dir + ": no class subfolders");
        }
        int n = limit > 0 ? Math.min(limit, files.size()) : files.size();
        int size = height * width * channels;
        byte[] pixels = new byte[Math.multiplyExact(n, size)];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            decodeInto(files.get(i), pixels, i * size, height, width, channels);
            labels[i] = labelList.get(i);
        }
        return new FolderImages(List.copyOf(classes), labels, pixels, height, width, channels, dir.toString());
    }

    static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
    }

    /** Decodes a PNG/JPEG and resizes it to the model input; a clear error for unreadable files. */
    public static void decodeInto(Path file, byte[] dst, int offset, int height, int width, int channels) throws DatasetException {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(file + ": unreadable image (" + e.getMessage() + ")", e);
        }
        if (image == null) {
            throw new DatasetException(file + ": not a PNG or JPEG image");
        }
        int h = image.getHeight();
        int w = image.getWidth();
        byte[] rgb = new byte[h * w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = image.getRGB(x, y);
                int p = (y * w + x) * 3;
                rgb[p] = (byte) (argb >> 16);
                rgb[p + 1] = (byte) (argb >> 8);
                rgb[p + 2] = (byte) argb;
            }
        }
        new ImageResizer(h, w, 3, height, width, channels).resize(rgb, 0, dst, offset);
    }

    @Override public int size() { return labels.length; }
    @Override public int height() { return height; }
    @Override public int width() { return width; }
    @Override public int channels() { return channels; }
    @Override public List<String> classNames() { return classNames; }
    @Override public int label(int index) { return labels[index]; }
    @Override public String description() { return description; }

    @Override
    public void pixels(int index, byte[] dst, int offset) {
        int size = height * width * channels;
        System.arraycopy(pixels, index * size, dst, offset, size);
    }
}
