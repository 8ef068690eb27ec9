package dev.edgeq.runtime;

/**
 * Runs an {@link Interpreter} on raw pixels and returns the top-k classes with softmax
 * probabilities. All buffers are allocated here, once; {@link #classify} allocates nothing.
 * Not thread-safe (like the Interpreter it wraps).
 */
public final class Classifier {
    private final Interpreter interpreter;
    private final Classification result;
    private final float[] probabilities;
    private final int k;

    public Classifier(Interpreter interpreter, int topK) {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, got " + topK);
        }
        this.interpreter = interpreter;
        int classes = interpreter.outputSize();
        this.k = Math.min(topK, classes);
        this.result = new Classification(interpreter.model().labels(), k, classes);
        this.probabilities = new float[classes];
    }

    /** Classifies H*W*C raw pixels (channels innermost) starting at {@code offset}. */
    public Classification classify(byte[] pixels, int offset) {
        interpreter.setInputPixels(pixels, offset);
        long start = System.nanoTime();
        interpreter.run();
        long nanos = System.nanoTime() - start;
        return finish(nanos);
    }

    /** Reads the interpreter's current output into the result (after an external run()). */
    public Classification finish(long inferenceNanos) {
        float[] logits = result.logitsArray();
        interpreter.outputFloat(logits);
        softmax(logits, probabilities);
        int[] indices = result.indicesArray();
        float[] scores = result.scoresArray();
        for (int i = 0; i < k; i++) {
            int best = -1;
            for (int c = 0; c < probabilities.length; c++) {
                if (!taken(indices, i, c) && (best < 0 || logits[c] > logits[best])) {
                    best = c;
                }
            }
            indices[i] = best;
            scores[i] = probabilities[best];
        }
        result.set(k, inferenceNanos);
        return result;
    }

    private static boolean taken(int[] indices, int count, int c) {
        for (int i = 0; i < count; i++) {
            if (indices[i] == c) {
                return true;
            }
        }
        return false;
    }

    /** StrictMath so that probabilities are the same on every board. */
    private static void softmax(float[] logits, float[] out) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            double e = StrictMath.exp((double) logits[i] - max);
            out[i] = (float) e;
            sum += e;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (out[i] / sum);
        }
    }

    public Interpreter interpreter() { return interpreter; }
}
