package dev.edgeq.bench;

import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.int8.ConvParams;
import dev.edgeq.runtime.kernels.int8.FullyConnectedParams;
import dev.edgeq.runtime.kernels.int8.Int8Kernel;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.kernels.int8.PoolParams;
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
 * One int8 layer per shape at batch 1, through the scalar fast and the Vector API kernels. The
 * shapes are those of the Fashion-MNIST CNN (3x3 convs 16/32/64 on 28x28x1 with 2x2 max pools,
 * dense 576 -> 128) plus a 1x1 and a depthwise layer. Score = ns per layer call;
 * {@link KernelMacs} turns it into MAC/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class Int8KernelBenchmark {

    @Param({"conv3x3_28x28x1_16", "conv3x3_14x14x16_32", "conv3x3_7x7x32_64", "conv1x1_14x14x32_64",
            "dw3x3_14x14x32", "dense_576_128", "maxpool2x2_28x28x16", "maxpool2x2_14x14x32"})
    public String shape;

    @Param({"SCALAR", "VECTOR"})
    public String impl;

    // Non-final fields so the JIT cannot constant-fold the inputs (JMH sample 10).
    private Int8Kernel kernel;
    private byte[] input;
    private byte[] output;
    private int[] scratch;
    private float[] floatScratch;

    /** Nominal multiply-accumulates of one call of {@code shape}. */
    public static long macs(String shape) {
        return layer(shape, Int8Kernels.Implementation.SCALAR, new Random(1)).macs;
    }

    @Setup
    public void setup() {
        Layer l = layer(shape, Int8Kernels.Implementation.valueOf(impl), new Random(42));
        kernel = l.kernel;
        input = new byte[l.inputSize];
        new Random(7).nextBytes(input);
        output = new byte[l.outputSize];
        scratch = new int[kernel.scratchInts()];
        floatScratch = new float[kernel.scratchFloats()];
    }

    @Benchmark
    public byte[] layer() {
        kernel.eval(input, 0, output, 0, scratch, 0, floatScratch, 0);
        return output;
    }

    public static final class Layer {
        public final Int8Kernel kernel;
        public final int inputSize;
        public final int outputSize;
        public final long macs;

        Layer(Int8Kernel kernel, int inputSize, int outputSize, long macs) {
            this.kernel = kernel;
            this.inputSize = inputSize;
            this.outputSize = outputSize;
            this.macs = macs;
        }
    }

    public static Layer layer(String shape, Int8Kernels.Implementation impl, Random r) {
        switch (shape) {
            case "conv3x3_28x28x1_16":
                return conv(28, 28, 1, 16, 3, false, impl, r);
            case "conv3x3_14x14x16_32":
                return conv(14, 14, 16, 32, 3, false, impl, r);
            case "conv3x3_7x7x32_64":
                return conv(7, 7, 32, 64, 3, false, impl, r);
            case "conv1x1_14x14x32_64":
                return conv(14, 14, 32, 64, 1, false, impl, r);
            case "dw3x3_14x14x32":
                return conv(14, 14, 32, 32, 3, true, impl, r);
            case "dense_576_128": {
                int[] m = multipliers(r, 128);
                int[] s = shifts(128, -9);
                FullyConnectedParams p = FullyConnectedParams.perChannel(1, 576, 128, 3, 0, -5, -128, 127, m, s);
                Int8Kernel k = Int8Kernels.fullyConnected(p, weights(r, 576 * 128), 0, bias(r, 128), 0, impl);
                return new Layer(k, 576, 128, p.macs());
            }
            case "maxpool2x2_28x28x16":
                return maxPool(28, 16);
            case "maxpool2x2_14x14x32":
                return maxPool(14, 32);
            default:
                throw new IllegalArgumentException("unknown shape " + shape);
        }
    }

    /** 2x2 stride-2 max pool; "MACs" counts window positions read (compares), for a rate only. */
    private static Layer maxPool(int h, int c) {
        PoolParams p = PoolParams.builder().input(1, h, h, c).output(h / 2, h / 2).kernel(2, 2).stride(2, 2).build();
        ConvGeometry g = p.geometry;
        return new Layer(Int8Kernels.maxPool2D(p), g.inputSize(), g.outputSize(), (long) g.outputSize() * 4);
    }

    private static Layer conv(int h, int w, int inC, int outC, int f, boolean depthwise, Int8Kernels.Implementation impl, Random r) {
        int pad = f / 2;
        ConvParams p = ConvParams.builder().input(1, h, w, inC).output(h, w, outC).kernel(f, f)
                .padding(pad, pad, pad, pad).depthMultiplier(depthwise ? outC / inC : 1)
                .offsets(128, -128).activation(-128, 127)
                .perChannel(multipliers(r, outC), shifts(outC, depthwise ? -7 : -9)).build();
        ConvGeometry g = p.geometry;
        if (depthwise) {
            Int8Kernel k = Int8Kernels.depthwiseConv2D(p, weights(r, g.depthwiseFilterSize()), 0, bias(r, outC), 0, impl);
            return new Layer(k, g.inputSize(), g.outputSize(), g.depthwiseMacs());
        }
        Int8Kernel k = Int8Kernels.conv2D(p, weights(r, g.convFilterSize()), 0, bias(r, outC), 0, impl);
        return new Layer(k, g.inputSize(), g.outputSize(), g.convMacs());
    }

    private static byte[] weights(Random r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (r.nextInt(255) - 127);
        }
        return b;
    }

    private static int[] bias(Random r, int n) {
        int[] b = new int[n];
        for (int i = 0; i < n; i++) {
            b[i] = r.nextInt(20000) - 10000;
        }
        return b;
    }

    private static int[] multipliers(Random r, int n) {
        int[] m = new int[n];
        for (int i = 0; i < n; i++) {
            m[i] = (1 << 30) + r.nextInt(1 << 30);
        }
        return m;
    }

    private static int[] shifts(int n, int shift) {
        int[] s = new int[n];
        java.util.Arrays.fill(s, shift);
        return s;
    }
}
