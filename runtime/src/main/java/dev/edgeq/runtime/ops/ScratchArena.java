package dev.edgeq.runtime.ops;

import dev.edgeq.runtime.memory.BufferRequest;
import dev.edgeq.runtime.memory.GreedyMemoryPlanner;
import dev.edgeq.runtime.memory.MemoryPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernels' scratch memory, planned like the activations: operators ask for it while they
 * are prepared ({@link #request}), each request living only while its operator runs, and once all
 * are prepared {@link #plan()} lays every request out in one array with
 * {@link GreedyMemoryPlanner}, so the scratch of successive layers shares space and
 * {@code Interpreter.arenaBytes()} counts it. Two kinds, one arena each: {@code int[]} for the int8
 * kernels ({@link #ints()}), {@code float[]} for the float kernels ({@link #floats()}), whose vector
 * code then loads and stores its own element type (float vectors reinterpreted from an {@code int[]}
 * were boxed by C2 on JDK 17 in some JVMs).
 */
public final class ScratchArena {
    /** Where one request lives; filled in by {@link #allocate()}, read by the prepared op at each run. */
    public static final class Slot {
        private int[] array;
        private float[] floats;
        private int offset;

        /** The int arena ({@link #ints()} only). */
        public int[] array() {
            return array;
        }

        /** The float arena ({@link #floats()} only). */
        public float[] floats() {
            return floats;
        }

        public int offset() {
            return offset;
        }
    }

    private static final Slot NONE = new Slot();

    private final boolean floatArena;
    private final List<BufferRequest> requests = new ArrayList<>();
    private final List<Slot> slots = new ArrayList<>();
    private MemoryPlan plan;

    private ScratchArena(boolean floatArena) {
        this.floatArena = floatArena;
    }

    /** An arena of {@code int[]} scratch. */
    public static ScratchArena ints() {
        return new ScratchArena(false);
    }

    /** An arena of {@code float[]} scratch. */
    public static ScratchArena floats() {
        return new ScratchArena(true);
    }

    /** {@code elements} ints or floats of scratch for operator {@code op} (named {@code name} in the plan). */
    public Slot request(String name, int elements, int op) {
        if (plan != null) {
            throw new IllegalStateException("scratch for '" + name + "' requested after the arena was planned");
        }
        if (elements == 0) {
            return NONE;
        }
        Slot s = new Slot();
        requests.add(new BufferRequest(name, elements, op, op));
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
        int[] ints = floatArena ? null : new int[plan.arenaSize()];
        float[] floats = floatArena ? new float[plan.arenaSize()] : null;
        for (int i = 0; i < slots.size(); i++) {
            slots.get(i).array = ints;
            slots.get(i).floats = floats;
            slots.get(i).offset = plan.offset(i);
        }
    }
}
