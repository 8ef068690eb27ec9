package dev.edgeq.runtime.kernels;

import dev.edgeq.runtime.kernels.int8.ConvParams;
import dev.edgeq.runtime.kernels.int8.PoolParams;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one output-size rule, and the int8 parameter builders that check against it. */
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

    private static ConvParams convParams(int in, int k, int s, int d, int pb, int pe, int out) {
        return ConvParams.builder().input(1, in, 1, 1).output(out, 1, 1).filter(k, 1).stride(s, 1).dilation(d, 1)
                .padding(pb, 0, pe, 0).perTensor(1 << 30, 0).build();
    }

    private static PoolParams poolParams(int in, int k, int s, int pb, int pe, int out) {
        return PoolParams.builder().input(1, in, 1, 1).output(out, 1).filter(k, 1).stride(s, 1).padding(pb, 0, pe, 0).build();
    }
}
