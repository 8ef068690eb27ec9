package dev.edgeq.device.loop;

/**
 * When to publish a classification: every frame, or on change (a different top-1 label, or the top-1 score
 * moved by more than {@code scoreDelta} since the last published message), and in any case after
 * {@code heartbeatNanos} without a message, so consumers can tell a quiet scene from a dead device.
 */
public final class PublishPolicy {
    private volatile boolean everyFrame;
    private final float scoreDelta;
    private final long heartbeatNanos;
    private boolean any;
    private int lastIndex;
    private float lastScore;
    private long lastNanos;

    public PublishPolicy(boolean everyFrame, double scoreDelta, double heartbeatSeconds) {
        this.everyFrame = everyFrame;
        this.scoreDelta = (float) scoreDelta;
        this.heartbeatNanos = heartbeatSeconds <= 0 ? Long.MAX_VALUE : (long) (heartbeatSeconds * 1e9);
    }

    /** Switches the mode (any thread; the {@code set/publish} command). */
    public void everyFrame(boolean value) {
        this.everyFrame = value;
    }

    public boolean shouldPublish(int topIndex, float topScore, long nowNanos) {
        boolean publish = everyFrame || !any || topIndex != lastIndex
                || Math.abs(topScore - lastScore) > scoreDelta || nowNanos - lastNanos >= heartbeatNanos;
        if (publish) {
            any = true;
            lastIndex = topIndex;
            lastScore = topScore;
            lastNanos = nowNanos;
        }
        return publish;
    }
}
