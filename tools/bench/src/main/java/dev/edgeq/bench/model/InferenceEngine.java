package dev.edgeq.bench.model;

/**
 * One way of classifying a 28x28 (model-sized) 8-bit image, as a user of that runtime would do it:
 * raw pixels in, float scores out. Everything reusable is created by the constructor; {@link #infer}
 * is what the benchmarks time (input conversion, inference, reading the output).
 */
public interface InferenceEngine extends AutoCloseable {
    /** Runs one inference on H*W*C raw pixels (channels innermost) and returns the output scores (a reused array). */
    float[] infer(byte[] pixels) throws Exception;

    @Override
    void close() throws Exception;
}
