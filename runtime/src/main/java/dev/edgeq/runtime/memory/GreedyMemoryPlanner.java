package dev.edgeq.runtime.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Places buffers in one arena from their lifetimes, as TensorFlow Lite Micro's greedy planner
 * does: largest first, each at the lowest offset where it does not collide with an already placed
 * buffer whose lifetime overlaps its own. Runs once at Interpreter creation.
 */
public final class GreedyMemoryPlanner {
    private GreedyMemoryPlanner() {}

    public static MemoryPlan plan(List<BufferRequest> requests) {
        int n = requests.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.<Integer>comparingInt(i -> requests.get(i).size()).reversed()
                .thenComparingInt(i -> requests.get(i).firstUse()));
        int[] offsets = new int[n];
        List<Integer> placed = new ArrayList<>();
        long arena = 0;
        for (int idx : order) {
            BufferRequest r = requests.get(idx);
            // Candidate gaps: sorted intervals of placed, time-overlapping buffers.
            List<int[]> busy = new ArrayList<>();
            for (int p : placed) {
                BufferRequest other = requests.get(p);
                if (other.overlapsInTime(r) && other.size() > 0) {
                    busy.add(new int[] {offsets[p], offsets[p] + other.size()});
                }
            }
            busy.sort(Comparator.comparingInt(a -> a[0]));
            int offset = 0;
            for (int[] b : busy) {
                if (offset + r.size() <= b[0]) {
                    break;
                }
                offset = Math.max(offset, b[1]);
            }
            offsets[idx] = offset;
            placed.add(idx);
            arena = Math.max(arena, (long) offset + r.size());
        }
        if (arena > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("arena of " + arena + " units does not fit in a Java array");
        }
        return new MemoryPlan(requests, offsets, (int) arena, MemoryPlan.lowerBound(requests));
    }
}
