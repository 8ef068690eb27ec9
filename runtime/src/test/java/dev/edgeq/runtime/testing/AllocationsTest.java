package dev.edgeq.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The zero-allocation tests' helper: what it measures, and that its failure says where the bytes went. */
class AllocationsTest {
    private static volatile Object sink;

    private static void allocate() {
        for (int i = 0; i < 1000; i++) {
            sink = new long[64];
        }
    }

    @Test
    void countsWhatTheBodyAllocates() {
        long bytes = Allocations.fewestBytesOfAllocatingCode(3, AllocationsTest::allocate);
        assertTrue(bytes >= 1000L * 64 * 8, "bytes: " + bytes);
        assertEquals(0, Allocations.fewestBytes(3, () -> sink = null));
    }

    @Test
    void aFailureNamesTheAllocatingMethod() {
        // assertAllocatesNothing's check, without its 20 s of patience for code that allocates
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Allocations.failIfAllocated(Allocations.fewestBytesOfAllocatingCode(2, AllocationsTest::allocate),
                        AllocationsTest::allocate, List.of(Thread.currentThread()), "1000 arrays"));
        assertTrue(e.getMessage().startsWith("1000 arrays: "), e.getMessage());
        assertTrue(e.getMessage().contains("long[]") && e.getMessage().contains("AllocationsTest.allocate"), e.getMessage());
    }
}
