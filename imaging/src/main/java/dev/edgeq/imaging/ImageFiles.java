package dev.edgeq.imaging;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Image files as model input pixels: {@link ImageDecoder} then {@link AreaResampler}, the path the device
 * runs for {@code dir:} and {@code file:} sources, for everything else that reads files (folder datasets,
 * calibration, {@code classify}, {@code eval}). Reuses its frame buffer and resampling plan; not
 * thread-safe.
 */
public final class ImageFiles {
    private final Frame frame = new Frame();
    private final AreaResampler resampler;

    public ImageFiles(int height, int width, int channels) {
        this.resampler = new AreaResampler(height, width, channels);
    }

    /**
     * Decodes {@code file}, center-crops it to the model's aspect ratio and area-downscales it into
     * {@code dst[offset .. offset + height * width * channels)}.
     *
     * @throws IOException naming the file when it is missing or not a readable image
     */
    public void read(Path file, byte[] dst, int offset) throws IOException {
        ImageDecoder.decode(file, frame);
        resampler.process(frame, dst, offset);
    }

    /** Bytes one image takes: height * width * channels. */
    public int outputBytes() {
        return resampler.outputBytes();
    }
}
