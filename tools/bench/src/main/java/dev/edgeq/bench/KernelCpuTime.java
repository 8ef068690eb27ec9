package dev.edgeq.bench;

import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * A companion to the JMH run for shared, overloaded machines: measures each kernel shape by the
 * calling thread's CPU time (ThreadMXBean), which time slices lost to other processes do not
 * inflate (hyper-threading and cache sharing still do). Not a JMH benchmark: no forking or
 * dead-code protection beyond reading the output; use the JMH numbers where the machine is quiet.
 * Usage: {@code java --add-modules jdk.incubator.vector -cp tools/bench/target/benchmarks.jar
 * dev.edgeq.bench.KernelCpuTime [seconds-per-shape]}
 */
public final class KernelCpuTime {
    private static final String[] SHAPES = {"conv3x3_28x28x1_16", "conv3x3_14x14x16_32", "conv3x3_7x7x32_64",
        "conv1x1_14x14x32_64", "dw3x3_14x14x32", "dense_576_128", "maxpool2x2_28x28x16", "maxpool2x2_14x14x32"};

    private KernelCpuTime() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.printf("%-22s %-7s %10s %12s %9s%n", "shape", "impl", "MACs", "cpu ns/call", "GMAC/s");
        for (String impl : new String[] {"SCALAR", "VECTOR"}) {
            if (impl.equals("VECTOR") && !dev.edgeq.runtime.kernels.int8.VectorSupport.available()) {
                System.out.println("VECTOR: module jdk.incubator.vector absent (add --add-modules jdk.incubator.vector)");
                continue;
            }
            for (String shape : SHAPES) {
                Int8KernelBenchmark.Layer l = Int8KernelBenchmark.layer(shape, Int8Kernels.Implementation.valueOf(impl), new Random(42));
                byte[] in = new byte[l.inputSize];
                new Random(7).nextBytes(in);
                byte[] out = new byte[l.outputSize];
                int[] scratch = new int[l.kernel.scratchInts()];
                float[] floatScratch = new float[l.kernel.scratchFloats()];
                long sink = 0;
                long warmEnd = mx.getCurrentThreadCpuTime() + (long) (seconds * 0.5e9);
                while (mx.getCurrentThreadCpuTime() < warmEnd) {
                    l.kernel.eval(in, 0, out, 0, scratch, 0, floatScratch, 0);
                    sink += out[0];
                }
                long start = mx.getCurrentThreadCpuTime();
                long end = start + (long) (seconds * 1e9);
                long calls = 0;
                long now;
                do {
                    for (int i = 0; i < 10; i++) {
                        l.kernel.eval(in, 0, out, 0, scratch, 0, floatScratch, 0);
                        sink += out[i % out.length];
                    }
                    calls += 10;
                    now = mx.getCurrentThreadCpuTime();
                } while (now < end);
                double ns = (now - start) / (double) calls;
                System.out.printf("%-22s %-7s %10d %12.0f %9.2f%s%n", shape, impl, l.macs, ns, l.macs / ns, sink == 42 ? " " : "");
            }
        }
    }
}
