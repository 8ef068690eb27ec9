package dev.edgeq.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The pool's hand-off under stress: batches of no-op partitions whose size changes from one batch to
 * the next (1 to 4 parts on 4 threads), so that a worker still looking at an exhausted batch races the
 * caller publishing a larger one. Every partition must run exactly once per batch, and the caller must
 * return. Before the batch generation was checked, a late worker could claim a partition of the new
 * batch through the old batch's cursor: that partition ran twice, the done count overshot and
 * {@code run} waited forever (seen once in IntraOpThreadsTest on 2 cores).
 */
class WorkerPoolTest {
    private static final int ROUNDS = 200_000;

    @Test
    void everyPartitionRunsOncePerBatchAndRunReturns() {
        long[][] counts = new long[5][];
        PreparedOp[][] batches = new PreparedOp[5][];
        for (int size = 1; size <= 4; size++) {
            long[] c = new long[size];
            counts[size] = c;
            batches[size] = new PreparedOp[size];
            for (int i = 0; i < size; i++) {
                int part = i;
                batches[size][i] = () -> c[part]++;
            }
        }
        long[] runs = new long[5];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (WorkerPool pool = new WorkerPool(4)) {
                for (int round = 0; round < ROUNDS; round++) {
                    int size = 1 + round % 4;
                    pool.run(batches[size]);
                    runs[size]++;
                }
            }
        });
        for (int size = 1; size <= 4; size++) {
            for (int i = 0; i < size; i++) {
                assertEquals(runs[size], counts[size][i], "batches of " + size + ": runs of partition " + i);
            }
        }
    }
}
