package dev.edgeq.bench;

import dev.edgeq.runtime.kernels.float32.FloatKernels;
import dev.edgeq.runtime.kernels.float32.UnaryFloat;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.kernels.int8.VectorSupport;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Float Sigmoid and SiLU over 400k elements (about EfficientNet-B0's largest SiLU tensor, 112x112x32),
 * inputs Gaussian with standard deviation 4: REFERENCE is the exact double/StrictMath function per
 * element, SCALAR the float-arithmetic FastActivations, VECTOR the same bits in lanes (ActivationsVector). Score = ns per call; divide
 * by 400,000 for ns per element.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class FloatActivationBenchmark {
    public static final int ELEMENTS = 400_000;

    @Param({"SIGMOID", "SILU"})
    public String function;

    @Param({"REFERENCE", "SCALAR", "VECTOR"})
    public String impl;

    // Non-final fields so the JIT cannot constant-fold the inputs (JMH sample 10).
    private UnaryFloat.Kernel kernel;
    private float[] input;
    private float[] output;

    @Setup
    public void setup() {
        boolean silu = function.equals("SILU");
        if (impl.equals("VECTOR")) { // ActivationsVector directly: FloatKernels does not choose it yet
            VectorSupport.Factory v = VectorSupport.factory();
            kernel = silu ? v::siluFloat : v::sigmoidFloat;
        } else {
            Int8Kernels.Implementation family = Int8Kernels.Implementation.valueOf(impl);
            kernel = silu ? FloatKernels.silu(family) : FloatKernels.sigmoid(family);
        }
        Random r = new Random(42);
        input = new float[ELEMENTS];
        for (int i = 0; i < ELEMENTS; i++) {
            input[i] = (float) (r.nextGaussian() * 4);
        }
        output = new float[ELEMENTS];
    }

    @Benchmark
    public float[] apply() {
        kernel.eval(ELEMENTS, input, 0, output, 0);
        return output;
    }
}
