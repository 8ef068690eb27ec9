package dev.edgeq.runtime.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The kernel selection switch. The runtime module's surefire run starts the JVM with
 * {@code --add-modules jdk.incubator.vector} and {@code -Dedgeq.expectVector=true}, so the vector
 * kernels cannot silently drop out of the differential tests.
 */
class VectorSupportTest {

    @Test
    void vectorKernelsArePresentWhenExpected() {
        if (Boolean.getBoolean("edgeq.expectVector")) {
            assertTrue(VectorSupport.available(), "module jdk.incubator.vector should be in the boot layer");
            assertTrue(VectorSupport.intLanes() >= 4);
            // The tests run on x86-64 or AArch64, where C2 compiles the Vector API: AUTO must use it.
            assertTrue(VectorSupport.accelerated(), "os.arch " + System.getProperty("os.arch") + " not taken as accelerated");
        }
    }

    @Test
    void autoPicksVectorKernelsOnlyWhenAccelerated() {
        ConvParams p = ConvParams.builder().input(1, 4, 4, 3).output(4, 4, 8).kernel(3, 3).padding(1, 1, 1, 1)
                .offsets(5, -3).perTensor(1 << 30, -8).build();
        Int8Kernel k = Int8Kernels.conv2D(p, new byte[p.geometry.convFilterSize()], 0, null, 0);
        assertEquals(VectorSupport.accelerated() ? "Conv2DFloatExact" : "Conv2DFast", k.getClass().getSimpleName());
        assertEquals("Conv2DFast", Int8Kernels.conv2D(p, new byte[p.geometry.convFilterSize()], 0, null, 0,
                Int8Kernels.Implementation.SCALAR).getClass().getSimpleName());
        if (!VectorSupport.available()) {
            assertThrows(IllegalStateException.class, () -> Int8Kernels.conv2D(p, new byte[p.geometry.convFilterSize()], 0, null, 0,
                    Int8Kernels.Implementation.VECTOR));
        }
    }
}
