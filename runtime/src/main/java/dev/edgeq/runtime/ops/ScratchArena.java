package dev.edgeq.runtime.ops;

import dev.edgeq.runtime.memory.BufferRequest;
import dev.edgeq.runtime.memory.GreedyMemoryPlanner;
import dev.edgeq.runtime.memory.MemoryPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernels' int scratch memory, planned like the activations: operators ask for it while they
 * are prepared ({@link #request}), each request living only while its operator runs, and once all
 * are prepared {@link #plan()} lays every request out in one {@code int[]} with
 * {@link GreedyMemoryPlanner}, so the scratch of successive layers shares space and
 * {@code Interpreter.arenaBytes()} counts it. Its own arena because kernels need {@code int[]}
 * while the activations live in {@code byte[]} and {@code float[]}.
 */
public final class ScratchArena {
    /** Where one request lives; filled in by {@link #allocate()}, read by the prepared op at each run. */
    public static final class Slot {
        private int[] array;
        private int offset;

        public int[] array() {
            return array;
        }

        public int offset() {
            return offset;
        }
    }

    private static final Slot NONE = new Slot();

    private final List<BufferRequest> requests = new ArrayList<>();
    private final List<Slot> slots = new ArrayList<>();
    private MemoryPlan plan;

    /** {@code ints} of scratch for operator {@code op} (named {@code name} in the plan). */
    public Slot request(String name, int ints, int op) {
        if (plan != null) {
            throw new IllegalStateException("scratch for '" + name + "' requested after the arena was planned");
        }
        if (ints == 0) {
            return NONE;
        }
        Slot s = new Slot();
        requests.add(new BufferRequest(name, ints, op, op));
        slots.add(s);
        return s;
    }

    /** Places every request; once, after all operators are prepared (the caller checks the size before {@link #allocate()}). */
    public MemoryPlan plan() {
        if (plan != null) {
            throw new IllegalStateException("scratch arena already planned");
        }
        plan = GreedyMemoryPlanner.plan(requests);
        return plan;
    }

    /** Allocates the planned arena and points every slot into it. */
    public void allocate() {
        if (plan == null) {
            throw new IllegalStateException("scratch arena not planned yet");
        }
        int[] arena = new int[plan.arenaSize()];
        for (int i = 0; i < slots.size(); i++) {
            slots.get(i).array = arena;
            slots.get(i).offset = plan.offset(i);
        }
    }
}
