package dev.edgeq.device.loop;

/**
 * What the loop needs from a model: its input geometry and a classify call over raw pixels. The runtime's
 * {@code Classifier} is adapted to it by {@link RuntimeFrameClassifier}; keeping this seam small lets the
 * loop, sources and MQTT be exercised on their own.
 */
public interface FrameClassifier extends AutoCloseable {
    int inputHeight();
    int inputWidth();
    /** 1 (gray) or 3 (RGB). */
    int inputChannels();
    String modelName();
    /** Hex SHA-256 of the model file. */
    String modelSha256();

    /**
     * Classifies H x W x C raw 0..255 pixels at {@code offset}. The returned object is reused by the next
     * call. Must not allocate.
     */
    Result classify(byte[] pixels, int offset);

    /** Top-k result, best first. */
    interface Result {
        int count();
        int index(int i);
        String label(int i);
        float score(int i);
        long inferenceNanos();
    }

    @Override
    default void close() {}
}
