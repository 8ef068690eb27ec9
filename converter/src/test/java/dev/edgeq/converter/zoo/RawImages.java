package dev.edgeq.converter.zoo;

import dev.edgeq.converter.dataset.LabeledImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Unlabeled images stored back to back as raw pixels (N x H x W x C bytes), as zoo.py writes them. */
public final class RawImages implements LabeledImages {
    private final Path file;
    private final byte[] data;
    private final int height;
    private final int width;
    private final int channels;

    private RawImages(Path file, byte[] data, int height, int width, int channels) {
        this.file = file;
        this.data = data;
        this.height = height;
        this.width = width;
        this.channels = channels;
    }

    public static RawImages read(Path file, int height, int width, int channels) throws IOException {
        byte[] data = Files.readAllBytes(file);
        int image = height * width * channels;
        if (data.length == 0 || data.length % image != 0) {
            throw new IOException(file + ": " + data.length + " bytes is not a whole number of " + height + "x" + width
                    + "x" + channels + " images");
        }
        return new RawImages(file, data, height, width, channels);
    }

    @Override
    public int size() {
        return data.length / (height * width * channels);
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public List<String> classNames() {
        return List.of();
    }

    @Override
    public int label(int index) {
        return 0;
    }

    @Override
    public void pixels(int index, byte[] dst, int offset) {
        int n = height * width * channels;
        System.arraycopy(data, index * n, dst, offset, n);
    }

    @Override
    public String description() {
        return file.getFileName().toString();
    }
}
