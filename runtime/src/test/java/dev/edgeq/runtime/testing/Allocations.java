package dev.edgeq.runtime.testing;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/** Measures Java heap bytes allocated by the current thread (for the zero-allocation tests). */
public final class Allocations {
    private Allocations() {}

    static final long PATIENCE_MILLIS = 20_000;

    /**
     * Runs {@code body} {@code rounds} times (stopping at the first round that allocates nothing)
     * and returns the fewest bytes one round allocated. A late JIT recompilation (or Vector API code
     * not yet compiled by C2) can allocate once; code that allocates per call does so in every round.
     * While no round has been allocation-free, rounds go on for up to {@value #PATIENCE_MILLIS} ms past
     * the given count: on a busy machine C2's queue (hundreds of vector kernel shapes compiled by earlier
     * tests) can hold a kernel's compilation for seconds, and until then the Vector API allocates.
     */
    public static long fewestBytes(int rounds, Runnable body) {
        return fewestBytes(rounds, body, List.of(Thread.currentThread()));
    }

    /** As {@link #fewestBytes(int, Runnable)}, counting what all {@code threads} allocate together (worker pools). */
    public static long fewestBytes(int rounds, Runnable body, List<Thread> threads) {
        return fewestBytes(rounds, body, threads, PATIENCE_MILLIS);
    }

    /** The fewest bytes of exactly {@code rounds} rounds, for code that is meant to allocate (no waiting for zero). */
    public static long fewestBytesOfAllocatingCode(int rounds, Runnable body) {
        return fewestBytes(rounds, body, List.of(Thread.currentThread()), 0);
    }

    private static long fewestBytes(int rounds, Runnable body, List<Thread> threads, long patienceMillis) {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = new long[threads.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = threads.get(i).getId();
        }
        long fewest = Long.MAX_VALUE;
        long giveUp = System.nanoTime() + patienceMillis * 1_000_000L;
        for (int round = 0; fewest != 0 && (round < rounds || System.nanoTime() < giveUp); round++) {
            long before = sum(mx, ids);
            body.run();
            fewest = Math.min(fewest, sum(mx, ids) - before);
        }
        return fewest;
    }

    /** One thread at a time: the array-returning overload would allocate inside the measurement. */
    private static long sum(ThreadMXBean mx, long[] ids) {
        long s = 0;
        for (long id : ids) {
            s += mx.getThreadAllocatedBytes(id);
        }
        return s;
    }
}
