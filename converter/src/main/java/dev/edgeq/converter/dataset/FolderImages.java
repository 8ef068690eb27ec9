package dev.edgeq.converter.dataset;

import dev.edgeq.imaging.ImageDecoder;
import dev.edgeq.imaging.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder with one subfolder per class holding PNG/JPEG images (the layout {@code edgeq capture}
 * writes and the training tool reads). Classes are the subfolder names in sorted order. Images are
 * decoded and resized once, when the set is opened, by the device's own image path ({@link ImageFiles}),
 * so calibration and {@code eval} see the pixels the board sees.
 */
public final class FolderImages implements LabeledImages {
    private final List<String> classNames;
    private final List<String> files;
    private final int[] labels;
    private final byte[] pixels;
    private final int height;
    private final int width;
    private final int channels;
    private final String description;

    private FolderImages(List<String> classNames, List<String> files, int[] labels, byte[] pixels, int height, int width,
                         int channels, String description) {
        this.classNames = classNames;
        this.files = files;
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
        ImageFiles reader = new ImageFiles(height, width, channels);
        for (int i = 0; i < n; i++) {
            try {
                reader.read(files.get(i), pixels, i * size);
            } catch (IOException e) {
                throw new DatasetException(e.getMessage(), e);
            }
            labels[i] = labelList.get(i);
        }
        List<String> names = files.subList(0, n).stream().map(Path::toString).toList();
        return new FolderImages(List.copyOf(classes), names, labels, pixels, height, width, channels, dir.toString());
    }

    static boolean isImage(Path p) {
        return Files.isRegularFile(p) && ImageDecoder.isImageName(p);
    }

    @Override public int size() { return labels.length; }
    @Override public int height() { return height; }
    @Override public int width() { return width; }
    @Override public int channels() { return channels; }
    @Override public List<String> classNames() { return classNames; }
    @Override public int label(int index) { return labels[index]; }
    @Override public String description() { return description; }
    @Override public String imageName(int index) { return files.get(index); }
    @Override public boolean labelsFromNames() { return true; }

    @Override
    public void pixels(int index, byte[] dst, int offset) {
        int size = height * width * channels;
        System.arraycopy(pixels, index * size, dst, offset, size);
    }
}
