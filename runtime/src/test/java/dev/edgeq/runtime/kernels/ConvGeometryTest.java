package dev.edgeq.runtime.kernels;

import dev.edgeq.runtime.kernels.int8.ConvParams;
import dev.edgeq.runtime.kernels.int8.PoolParams;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one output-size rule, the window checks, and the int8 parameter builders that reach them. */
class ConvGeometryTest {
    @Test
    void outputSizeFollowsTheFloorAndCeilForms() {
        assertEquals(5, ConvGeometry.outputSize(5, 3, 1, 1, 1, 1, false), "same padding");
        assertEquals(2, ConvGeometry.outputSize(5, 3, 2, 1, 0, 0, false));
        assertEquals(3, ConvGeometry.outputSize(6, 3, 2, 1, 0, 0, true), "ceil: (6 - 3) / 2 rounded up, + 1");
        assertEquals(2, ConvGeometry.outputSize(6, 3, 2, 1, 0, 0, false));
        assertEquals(1, ConvGeometry.outputSize(5, 3, 1, 2, 0, 0, false), "dilation 2 covers 5");
        assertEquals(0, ConvGeometry.outputSize(4, 3, 1, 2, 0, 0, false), "a window larger than the padded input");
        assertEquals(5, ConvGeometry.effectiveKernel(3, 2));
    }

    @Test
    void hugeArgumentsDoNotOverflow() {
        // (kernel - 1) * dilation overflows int: the window is far larger than the input
        assertEquals(0, ConvGeometry.outputSize(100, 70_000, 1, 70_000, 0, 0, false));
        assertEquals(Integer.MAX_VALUE, ConvGeometry.outputSize(Integer.MAX_VALUE, 1, 1, 1, 5, 5, false));
        assertEquals(2, ConvGeometry.outputSize(Integer.MAX_VALUE, 1, Integer.MAX_VALUE, 1, 0, 0, true));
    }

    @Test
    void theInt8BuildersAcceptExactlyTheSizesOfTheRule() {
        Random r = new Random(8);
        for (int i = 0; i < 2000; i++) {
            int in = 1 + r.nextInt(20), k = 1 + r.nextInt(5), s = 1 + r.nextInt(3), d = 1 + r.nextInt(3);
            int pb = r.nextInt(k), pe = r.nextInt(k);
            int conv = ConvGeometry.outputSize(in, k, s, d, pb, pe, false);
            if (conv > 0) {
                assertDoesNotThrow(() -> convParams(in, k, s, d, pb, pe, conv));
                assertThrows(IllegalArgumentException.class, () -> convParams(in, k, s, d, pb, pe, conv + 1));
            } else {
                assertThrows(IllegalArgumentException.class, () -> convParams(in, k, s, d, pb, pe, 1));
            }
            int floor = ConvGeometry.outputSize(in, k, s, 1, pb, pe, false);
            int ceil = ConvGeometry.outputSize(in, k, s, 1, pb, pe, true);
            if (floor > 0) {
                assertDoesNotThrow(() -> poolParams(in, k, s, pb, pe, floor));
                assertThrows(IllegalArgumentException.class, () -> poolParams(in, k, s, pb, pe, ceil + 1));
                if (floor > 1) assertThrows(IllegalArgumentException.class, () -> poolParams(in, k, s, pb, pe, floor - 1));
            }
        }
    }

    @Test
    void theBuilderChecksTheLegalRangesOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvGeometry.builder().input(3, 3, 0).build());
        assertEquals("inputC must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConvGeometry.builder().padding(0, -1, 0, 0).build());
        assertEquals("padLeft must be >= 0, got -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConvGeometry.builder().input(2, 2, 4).output(2, 2, 4)
                .groups(2).depthMultiplier(2).build());
        assertEquals("conv: groups 2 and depth multiplier 2 exclude each other (a depthwise conv has its own filter layout)",
                e.getMessage());
        // The int8 parameters reach the same checks through their builders.
        e = assertThrows(IllegalArgumentException.class, () -> ConvParams.builder().input(1, 3, 3, 1).output(3, 3, 1)
                .kernel(1, 0).perTensor(1 << 30, 0).build());
        assertEquals("kernelW must be >= 1, got 0", e.getMessage());
    }

    @Test
    void aPoolWindowKeepsTheInputChannels() {
        ConvGeometry g = ConvGeometry.builder().batches(2).input(4, 4, 7).output(2, 2).kernel(2, 2).stride(2, 2).build().checkPool();
        assertEquals(7, g.outputC);
        assertEquals(2 * 2 * 2 * 7, g.outputSize());
        assertEquals(g.toString(), g.toBuilder().build().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.toBuilder().output(2, 2, 3).build().checkPool());
        assertEquals("pool: a window with dilation 1x1, depth multiplier 1, groups 1 or output channels 3 != input channels 7",
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> g.outputRows(0, 1), "rows of two batches are not contiguous");
    }

    private static ConvParams convParams(int in, int k, int s, int d, int pb, int pe, int out) {
        return ConvParams.builder().input(1, in, 1, 1).output(out, 1, 1).kernel(k, 1).stride(s, 1).dilation(d, 1)
                .padding(pb, 0, pe, 0).perTensor(1 << 30, 0).build();
    }

    private static PoolParams poolParams(int in, int k, int s, int pb, int pe, int out) {
        return PoolParams.builder().input(1, in, 1, 1).output(out, 1).kernel(k, 1).stride(s, 1).padding(pb, 0, pe, 0).build();
    }
}
