package dev.edgeq.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.runtime.memory.MemoryPlan;
import org.junit.jupiter.api.Test;

class ScratchArenaTest {
    @Test
    void partitionsOfOneOpGetDisjointScratchAndLaterOpsReuseIt() {
        ScratchArena arena = ScratchArena.ints();
        ScratchArena.Slot band0 = arena.request("conv band 0", 10, 0);
        ScratchArena.Slot band1 = arena.request("conv band 1", 10, 0);
        ScratchArena.Slot none = arena.request("pool", 0, 1);
        ScratchArena.Slot dense = arena.request("dense", 15, 2);
        MemoryPlan plan = arena.plan();
        arena.allocate();
        plan.checkNoOverlap();
        assertEquals(20, plan.arenaSize()); // the two bands side by side; dense fits in their space
        assertEquals(20, band0.array().length);
        assertSame(band0.array(), dense.array());
        assertTrue(Math.abs(band0.offset() - band1.offset()) >= 10, band0.offset() + " vs " + band1.offset());
        assertNull(none.array());
        assertThrows(IllegalStateException.class, () -> arena.request("late", 4, 3));
    }

    @Test
    void aFloatArenaHandsOutFloatArraysOnly() {
        ScratchArena arena = ScratchArena.floats();
        ScratchArena.Slot conv = arena.request("float conv", 12, 0);
        ScratchArena.Slot dense = arena.request("float dense", 7, 1);
        arena.plan().checkNoOverlap();
        arena.allocate();
        assertEquals(12, conv.floats().length);
        assertSame(conv.floats(), dense.floats());
        assertNull(conv.array());
    }
}
