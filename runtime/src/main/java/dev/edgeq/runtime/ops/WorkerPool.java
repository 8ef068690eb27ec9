package dev.edgeq.runtime.ops;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The fixed threads of one Interpreter for intra-op parallelism: {@code threads - 1} daemon workers
 * started once, at creation, plus the thread that calls {@code Interpreter.run}. {@link #run} hands
 * a prepared batch of partitions to the workers without allocating: the batch array is made at
 * prepare time, the hand-off is a volatile generation counter, and waiting is a short spin (the next
 * operator usually follows within microseconds) followed by {@link LockSupport#park}.
 *
 * <p>Used by one caller thread at a time (the Interpreter is not thread-safe).
 */
public final class WorkerPool implements AutoCloseable {
    /** Busy-wait rounds before parking: long enough to bridge the gap between two operators. */
    private static final int SPINS = 1 << 13;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Thread[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    /** Written before {@link #generation}, so a worker that sees a new generation sees its batch. */
    private PreparedOp[] batch;
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
            Thread t = new Thread(() -> work(part), "edgeq-interpreter-" + pool + "-worker-" + part);
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
        pending.set(workers.length);
        batch = parts;
        generation = generation + 1;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        Throwable own = null;
        try {
            parts[0].eval();
        } catch (RuntimeException | Error e) {
            own = e;
        }
        awaitWorkers();
        Throwable failed = own != null ? own : failure;
        if (failed != null) {
            failure = null;
            if (failed instanceof Error) {
                throw (Error) failed;
            }
            throw (RuntimeException) failed;
        }
    }

    private void awaitWorkers() {
        for (int spin = 0; spin < SPINS; spin++) {
            if (pending.get() == 0) {
                return;
            }
            Thread.onSpinWait();
        }
        // Publish ourselves before the last check: a worker decrements, then reads waiter.
        waiter = Thread.currentThread();
        while (pending.get() != 0) {
            LockSupport.park(this);
        }
        waiter = null;
    }

    private void work(int part) {
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
            PreparedOp[] parts = batch;
            try {
                if (part < parts.length) {
                    parts[part].eval();
                }
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            if (pending.decrementAndGet() == 0) {
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
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
