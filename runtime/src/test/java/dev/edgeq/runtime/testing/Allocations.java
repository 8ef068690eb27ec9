package dev.edgeq.runtime.testing;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;

/** Measures Java heap bytes allocated by the current thread (for the zero-allocation tests). */
public final class Allocations {
    private Allocations() {}

    /**
     * Runs {@code body} {@code rounds} times (stopping at the first round that allocates nothing)
     * and returns the fewest bytes one round allocated. A late JIT recompilation (or Vector API code
     * not yet compiled by C2) can allocate once; code that allocates per call does so in every round.
     */
    public static long fewestBytes(int rounds, Runnable body) {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < rounds && fewest != 0; round++) {
            long before = mx.getThreadAllocatedBytes(tid);
            body.run();
            fewest = Math.min(fewest, mx.getThreadAllocatedBytes(tid) - before);
        }
        return fewest;
    }
}
