package dev.edgeq.converter.dataset;

import dev.edgeq.imaging.AreaResampler;
import dev.edgeq.imaging.Frame;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Images and labels in IDX format (MNIST, Fashion-MNIST), gzipped or not: 8-bit gray images,
 * magic 0x00000803, and labels, magic 0x00000801. Images are resized to the model input on read
 * by the one resampler ({@link AreaResampler}); at the stored size that is an exact copy.
 */
public final class IdxImages implements LabeledImages {
    private static final int MAX_ITEMS = 10_000_000;
    private final byte[] images;
    private final byte[] labels;
    private final int rows;
    private final int cols;
    private final int count;
    private final List<String> classNames;
    private final String description;
    private final int height;
    private final int width;
    private final int channels;
    private final AreaResampler resampler;
    private final Frame frame = new Frame();

    private IdxImages(byte[] images, byte[] labels, int rows, int cols, int count, List<String> classNames,
                      String description, int height, int width, int channels) {
        this.images = images;
        this.labels = labels;
        this.rows = rows;
        this.cols = cols;
        this.count = count;
        this.classNames = classNames;
        this.description = description;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.resampler = new AreaResampler(height, width, channels);
    }

    /**
     * Reads the first {@code limit} items (all when limit <= 0), resized to the target shape.
     */
    public static IdxImages read(Path imagesFile, Path labelsFile, int limit, List<String> classNames,
                                 int height, int width, int channels) throws DatasetException {
        int[] imageHeader;
        byte[] images;
        byte[] labels;
        try (DataInputStream in = open(imagesFile)) {
            int magic = in.readInt();
            if (magic != 0x803) {
                throw new DatasetException(imagesFile + ": not an IDX image file (magic 0x" + Integer.toHexString(magic) + ", expected 0x803)");
            }
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (n < 0 || n > MAX_ITEMS || rows <= 0 || cols <= 0 || rows > 4096 || cols > 4096) {
                throw new DatasetException(imagesFile + ": implausible IDX header: " + n + " images of " + rows + "x" + cols);
            }
            int take = limit > 0 ? Math.min(limit, n) : n;
            imageHeader = new int[] {take, rows, cols};
            images = new byte[Math.multiplyExact(take, rows * cols)];
            in.readFully(images);
        } catch (EOFException e) {
            throw new DatasetException(imagesFile + ": truncated IDX file", e);
        } catch (NoSuchFileException e) {
            throw new DatasetException(imagesFile + ": no such file" + hint(imagesFile), e);
        } catch (IOException e) {
            throw new DatasetException(imagesFile + ": " + e.getMessage(), e);
        }
        try (DataInputStream in = open(labelsFile)) {
            int magic = in.readInt();
            if (magic != 0x801) {
                throw new DatasetException(labelsFile + ": not an IDX label file (magic 0x" + Integer.toHexString(magic) + ", expected 0x801)");
            }
            int n = in.readInt();
            if (n < imageHeader[0]) {
                throw new DatasetException(labelsFile + ": " + n + " labels for " + imageHeader[0] + " images");
            }
            labels = new byte[imageHeader[0]];
            in.readFully(labels);
        } catch (EOFException e) {
            throw new DatasetException(labelsFile + ": truncated IDX file", e);
        } catch (NoSuchFileException e) {
            throw new DatasetException(labelsFile + ": no such file" + hint(labelsFile), e);
        } catch (IOException e) {
            throw new DatasetException(labelsFile + ": " + e.getMessage(), e);
        }
        return new IdxImages(images, labels, imageHeader[1], imageHeader[2], imageHeader[0], classNames,
                imagesFile.getFileName().toString(), height, width, channels);
    }

    private static String hint(Path file) {
        return file.toString().startsWith("/usr/share/datasets/fashion-mnist")
                ? " (install Debian's dataset-fashion-mnist: apt-get install dataset-fashion-mnist)" : "";
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
    }

    @Override public int size() { return count; }
    @Override public int height() { return height; }
    @Override public int width() { return width; }
    @Override public int channels() { return channels; }
    @Override public List<String> classNames() { return classNames; }
    @Override public int label(int index) { return labels[index] & 0xFF; }
    @Override public String description() { return description; }

    @Override
    public void pixels(int index, byte[] dst, int offset) {
        int size = rows * cols;
        // The resampler and its frame are reused: one caller at a time.
        synchronized (frame) {
            System.arraycopy(images, index * size, frame.ensureCapacity(size), 0, size);
            frame.setGray(cols, rows, cols);
            resampler.process(frame, dst, offset);
        }
    }
}
