package dev.edgeq.runtime.ops;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The fixed threads of one Interpreter for intra-op parallelism: {@code threads - 1} daemon workers
 * started once, at creation, plus the thread that calls {@code Interpreter.run}. {@link #run} hands
 * a prepared batch of partitions to the workers without allocating: the batch array is made at
 * prepare time, the hand-off is a volatile generation counter, and waiting is a short spin (the next
 * operator usually follows within microseconds) followed by {@link LockSupport#park}.
 *
 * <p>Every thread, the caller included, claims partitions from a shared cursor until none is left,
 * so a worker that the OS has not scheduled yet delays nothing: the caller runs its partition itself.
 * On a busy machine a run is thus never much slower than on one thread.
 *
 * <p>Used by one caller thread at a time (the Interpreter is not thread-safe).
 */
public final class WorkerPool implements AutoCloseable {
    /** Busy-wait rounds before parking: long enough to bridge the gap between two operators. */
    private static final int SPINS = 1 << 13;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Thread[] workers;
    /** Partitions of the current batch that have finished. */
    private final AtomicInteger done = new AtomicInteger();
    /**
     * Batch number (high bits) and next unclaimed partition (low {@link #INDEX_BITS} bits). Claiming
     * with a compare-and-set on both makes a late worker unable to claim a partition of a later batch
     * with the array of an earlier one.
     */
    private final AtomicLong cursor = new AtomicLong();
    private static final int INDEX_BITS = 16;
    /** Written before {@link #cursor} and {@link #generation} (volatile), so whoever sees those sees it. */
    private volatile PreparedOp[] batch;
    /**
     * The batch number of {@link #batch}, written just before it: a thread that read the cursor of one
     * batch and then the array of the next sees a different number here and does not claim.
     */
    private volatile long batchGeneration;
    private volatile long generation;
    private volatile Thread waiter;
    private volatile boolean closed;
    private volatile Throwable failure;

    /** Starts {@code threads - 1} workers; {@code threads} counts the calling thread. */
    public WorkerPool(int threads) {
        if (threads < 2) {
            throw new IllegalArgumentException("a worker pool needs at least 2 threads, got " + threads);
        }
        int pool = POOLS.incrementAndGet();
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int part = i + 1;
            Thread t = new Thread(this::work, "edgeq-interpreter-" + pool + "-worker-" + part);
            t.setDaemon(true);
            workers[i] = t;
        }
        for (Thread t : workers) {
            t.start();
        }
    }

    /** Threads that run partitions, the caller included. */
    public int threads() {
        return workers.length + 1;
    }

    /**
     * Runs {@code parts[0]} on the calling thread and {@code parts[i]} on worker {@code i}; returns when
     * all have finished. At most {@link #threads()} parts. Allocates nothing.
     */
    void run(PreparedOp[] parts) {
        long next = generation + 1;
        done.set(0);
        batchGeneration = next;
        batch = parts;
        cursor.set(next << INDEX_BITS);
        generation = next;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        claimAndRun();
        awaitWorkers(parts.length);
        Throwable failed = failure;
        if (failed != null) {
            failure = null;
            if (failed instanceof Error) {
                throw (Error) failed;
            }
            throw (RuntimeException) failed;
        }
    }

    /** Runs unclaimed partitions of the current batch until none is left. */
    private void claimAndRun() {
        while (true) {
            long c = cursor.get();
            PreparedOp[] parts = batch;
            // The cursor and the array must be of one batch. Without this check a worker that read the
            // exhausted cursor of batch N, then the longer array of batch N+1 (published before its
            // cursor), claimed index "N's length" of N+1 through N's cursor: that partition ran twice,
            // the done count overshot and run() waited forever. The caller publishes the number before
            // the array, so an array read here is never newer than the number read after it.
            if (batchGeneration != c >>> INDEX_BITS) {
                return;
            }
            int index = (int) (c & ((1 << INDEX_BITS) - 1));
            if (index >= parts.length) {
                return;
            }
            if (!cursor.compareAndSet(c, c + 1)) {
                continue;
            }
            try {
                parts[index].eval();
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            if (done.incrementAndGet() == parts.length) {
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        }
    }

    private void awaitWorkers(int parts) {
        for (int spin = 0; spin < SPINS; spin++) {
            if (done.get() == parts) {
                return;
            }
            Thread.onSpinWait();
        }
        // Publish ourselves before the last check: a worker counts its partition done, then reads waiter.
        waiter = Thread.currentThread();
        while (done.get() != parts) {
            LockSupport.park(this);
        }
        waiter = null;
    }

    private void work() {
        long seen = 0;
        while (true) {
            long current;
            int spin = 0;
            while ((current = generation) == seen) {
                if (closed) {
                    return;
                }
                if (spin < SPINS) {
                    spin++;
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            seen = current;
            claimAndRun();
        }
    }

    /** Stops the workers and waits (briefly) for them to end. */
    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        for (Thread w : workers) {
            try {
                w.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
