package dev.edgeq.runtime.kernels.int8;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.kernels.ChannelBroadcast;
import dev.edgeq.runtime.testing.Allocations;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A run allocates nothing even after many other vector kernel shapes have run in the same JVM. The
 * Vector API's shared methods collect type profiles across all callers; once several vector classes
 * went through them, C2 could no longer prove some vectors' classes and boxed them (measured: ~100 KB
 * per run of mobilenet-tiny's depthwise layers, with 0 bytes when the model ran alone). So this test
 * first runs 2000 random convolution and depthwise configurations and 500 Add / Sub / Mul ones, then
 * measures the models.
 */
class PollutedProfileAllocationTest {

    @Test
    void runsAllocateNothingAfterManyKernelShapes() throws Exception {
        assumeTrue(VectorSupport.available(), "module jdk.incubator.vector absent");
        Random r = new Random(20261122L);
        for (int done = 0; done < 2000; ) {
            boolean depthwise = r.nextBoolean();
            ConvParams p = RandomConfigTest.randomConv(r, depthwise);
            if (p == null) {
                continue;
            }
            byte[] f = RandomConfigTest.randomWeights(r, depthwise ? p.geometry.depthwiseFilterSize() : p.geometry.convFilterSize());
            Int8Kernel k = depthwise ? Int8Kernels.depthwiseConv2D(p, f, 0, null, 0, Int8Kernels.Implementation.VECTOR)
                    : Int8Kernels.conv2D(p, f, 0, null, 0, Int8Kernels.Implementation.VECTOR);
            KernelHarness.run(k, RandomConfigTest.randomBytes(r, p.geometry.inputSize()), p.geometry.outputSize(), 1);
            done++;
        }
        for (int done = 0; done < 500; done++) {
            ElementPairFunction f = RandomConfigTest.randomElementPair(r);
            int pixels = 1 + r.nextInt(40);
            int channels = 1 + r.nextInt(100);
            ChannelBroadcast s = r.nextBoolean() ? ChannelBroadcast.sameShape(pixels, channels)
                    : ChannelBroadcast.gate(pixels, channels, r.nextBoolean());
            Int8Kernels.elementPair(f, Int8Kernels.Implementation.VECTOR).eval(s, RandomConfigTest.randomBytes(r, s.input1Size()), 0,
                    RandomConfigTest.randomBytes(r, s.input2Size()), 0, new byte[s.outputSize()], 0);
        }
        // mobilenet-tiny: convolutions and depthwise; resnet-tiny: residual Adds too
        for (String name : new String[] {"fashion-mobilenet-tiny.eqm", "fashion-resnet-tiny.eqm"}) {
            assertNoAllocation(Model.load(Path.of("..", "models", name)), name);
        }
    }

    private static void assertNoAllocation(Model model, String name) throws Exception {
        try (Interpreter it = Interpreter.create(model)) {
            byte[] pixels = new byte[model.input().elementCount()];
            new Random(3).nextBytes(pixels);
            for (int i = 0; i < 3000; i++) {
                it.setInputPixels(pixels, 0);
                it.run();
            }
            Allocations.assertAllocatesNothing(5, () -> {
                for (int i = 0; i < 300; i++) {
                    it.setInputPixels(pixels, 0);
                    it.run();
                }
            }, name + ": bytes allocated over 300 runs (best of 5 rounds)");
        }
    }
}
