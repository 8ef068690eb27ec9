package dev.edgeq.runtime.memory;

import java.util.List;

/**
 * Where each buffer lives in one arena. {@code lowerBound} is the largest sum of simultaneously
 * live buffers: no plan can use less, so {@code arenaSize / lowerBound} measures the planner.
 */
public final class MemoryPlan {
    private final List<BufferRequest> requests;
    private final int[] offsets;
    private final int arenaSize;
    private final int lowerBound;

    MemoryPlan(List<BufferRequest> requests, int[] offsets, int arenaSize, int lowerBound) {
        this.requests = List.copyOf(requests);
        this.offsets = offsets;
        this.arenaSize = arenaSize;
        this.lowerBound = lowerBound;
    }

    public int offset(int request) { return offsets[request]; }
    public int arenaSize() { return arenaSize; }
    public int lowerBound() { return lowerBound; }
    public List<BufferRequest> requests() { return requests; }
    public int size() { return requests.size(); }

    /** The largest sum of sizes of buffers live at the same operator. */
    public static int lowerBound(List<BufferRequest> requests) {
        int maxTime = -1;
        for (BufferRequest r : requests) {
            maxTime = Math.max(maxTime, r.lastUse());
        }
        long best = 0;
        for (int t = 0; t <= maxTime; t++) {
            long live = 0;
            for (BufferRequest r : requests) {
                if (r.firstUse() <= t && t <= r.lastUse()) {
                    live += r.size();
                }
            }
            best = Math.max(best, live);
        }
        return (int) best;
    }

    /** Throws if two buffers that are live at the same time share any unit of the arena. */
    public void checkNoOverlap() {
        for (int i = 0; i < requests.size(); i++) {
            for (int j = i + 1; j < requests.size(); j++) {
                BufferRequest a = requests.get(i);
                BufferRequest b = requests.get(j);
                boolean spaceOverlap = offsets[i] < offsets[j] + b.size() && offsets[j] < offsets[i] + a.size()
                        && a.size() > 0 && b.size() > 0;
                if (a.overlapsInTime(b) && spaceOverlap) {
                    throw new IllegalStateException("buffers '" + a.name() + "' [" + offsets[i] + ", +" + a.size()
                            + ") and '" + b.name() + "' [" + offsets[j] + ", +" + b.size() + ") overlap while both live");
                }
            }
        }
    }
}
