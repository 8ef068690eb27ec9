package dev.edgeq.runtime;

import java.util.List;

/**
 * The top-k result of one {@link Classifier#classify} call. Reused by the Classifier on every
 * call (no allocation per frame): copy what you need before the next call.
 */
public final class Classification {
    private final List<String> labels;
    private final int[] indices;
    private final float[] scores;
    private final float[] logits;
    private int count;
    private long inferenceNanos;

    Classification(List<String> labels, int k, int classes) {
        this.labels = labels;
        this.indices = new int[k];
        this.scores = new float[k];
        this.logits = new float[classes];
    }

    /** How many entries (top-k, fewer if the model has fewer classes). */
    public int count() { return count; }
    /** Class index of the i-th best entry. */
    public int index(int i) { return indices[i]; }
    /** Softmax probability of the i-th best entry. */
    public float score(int i) { return scores[i]; }
    /** Label of the i-th best entry ("class N" when the model has no labels). */
    public String label(int i) {
        int index = indices[i];
        return index < labels.size() ? labels.get(index) : "class " + index;
    }
    /** Dequantized logit of class c. */
    public float logit(int c) { return logits[c]; }
    public int classes() { return logits.length; }
    /** Wall time of Interpreter.run for this result. */
    public long inferenceNanos() { return inferenceNanos; }

    float[] logitsArray() { return logits; }
    int[] indicesArray() { return indices; }
    float[] scoresArray() { return scores; }
    void set(int count, long nanos) {
        this.count = count;
        this.inferenceNanos = nanos;
    }
}
