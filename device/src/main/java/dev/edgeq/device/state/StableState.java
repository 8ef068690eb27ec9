package dev.edgeq.device.state;

/**
 * A label that does not flicker: the state changes only after {@code stableFrames} consecutive frames have
 * the same top-1 class with a score of at least {@code minScore} (Frigate's state classification uses 0.8 and
 * 3). A frame below the score breaks the run; a single different frame restarts it. Allocation-free.
 */
public final class StableState {
    public static final int NONE = -1;

    private final float minScore;
    private final int stableFrames;
    private int state = NONE;
    private float stateScore;
    private int runIndex = NONE;
    private int runLength;

    public StableState(double minScore, int stableFrames) {
        if (!(minScore >= 0 && minScore <= 1)) throw new IllegalArgumentException("min-score: expected 0..1, got " + minScore);
        if (stableFrames < 1) throw new IllegalArgumentException("stable-frames: expected >= 1, got " + stableFrames);
        this.minScore = (float) minScore;
        this.stableFrames = stableFrames;
    }

    /** Takes one frame's top-1; returns true when this frame changed the state. */
    public boolean offer(int topIndex, float topScore) {
        if (topScore < minScore) {
            runIndex = NONE;
            runLength = 0;
            return false;
        }
        if (topIndex == runIndex) {
            runLength++;
        } else {
            runIndex = topIndex;
            runLength = 1;
        }
        if (runLength >= stableFrames && runIndex != state) {
            state = runIndex;
            stateScore = topScore;
            return true;
        }
        return false;
    }

    /** The class index of the state, or {@link #NONE} before the first stable run. */
    public int state() { return state; }

    /** The score of the frame that completed the run which set the state. */
    public float stateScore() { return stateScore; }

    public int stableFrames() { return stableFrames; }
}
