package dev.edgeq.runtime.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GreedyMemoryPlannerTest {
    @Test
    void chainReusesTwoBuffers() {
        // a -> b -> c -> d: at most two are live at once.
        List<BufferRequest> r = List.of(new BufferRequest("a", 100, 0, 1), new BufferRequest("b", 100, 1, 2),
                new BufferRequest("c", 100, 2, 3), new BufferRequest("d", 100, 3, 3));
        MemoryPlan plan = GreedyMemoryPlanner.plan(r);
        plan.checkNoOverlap();
        assertEquals(200, plan.lowerBound());
        assertEquals(200, plan.arenaSize());
    }

    @Test
    void randomLifetimesNeverOverlap() {
        Random random = new Random(5);
        for (int trial = 0; trial < 300; trial++) {
            List<BufferRequest> r = new ArrayList<>();
            int n = 1 + random.nextInt(30);
            for (int i = 0; i < n; i++) {
                int first = random.nextInt(20);
                r.add(new BufferRequest("t" + i, random.nextInt(1000), first, first + random.nextInt(5)));
            }
            MemoryPlan plan = GreedyMemoryPlanner.plan(r);
            plan.checkNoOverlap();
            assertTrue(plan.arenaSize() >= plan.lowerBound());
        }
    }

    @Test
    void overlapCheckCatchesABadPlan() {
        List<BufferRequest> r = List.of(new BufferRequest("a", 10, 0, 1), new BufferRequest("b", 10, 1, 2));
        MemoryPlan bad = new MemoryPlan(r, new int[] {0, 5}, 15, 20);
        assertThrows(IllegalStateException.class, bad::checkNoOverlap);
    }
}
