package dev.edgeq.device.loop;

import java.util.Arrays;

/**
 * End-to-end latencies of the current stats interval in a preallocated ring (the last 4096 frames), for
 * p50/p99. {@link #record} allocates nothing; {@link #snapshotAndReset} sorts a preallocated copy.
 */
public final class LatencyRecorder {
    private final long[] ring = new long[4096];
    private final long[] sorted = new long[4096];
    private int count;
    private int next;
    private long frames;

    public synchronized void record(long nanos) {
        ring[next] = nanos;
        next = (next + 1) % ring.length;
        if (count < ring.length) count++;
        frames++;
    }

    /** p50 and p99 in nanoseconds (-1 when no frame) and frames since the last call; then starts over. */
    public synchronized long[] snapshotAndReset() {
        long[] r = {-1, -1, frames};
        if (count > 0) {
            System.arraycopy(ring, 0, sorted, 0, count);
            Arrays.sort(sorted, 0, count);
            r[0] = sorted[(count - 1) / 2];
            r[1] = sorted[Math.min(count - 1, (int) Math.ceil(count * 0.99) - 1)];
        }
        count = 0;
        next = 0;
        frames = 0;
        return r;
    }
}
