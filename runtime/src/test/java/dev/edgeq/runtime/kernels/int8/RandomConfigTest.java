package dev.edgeq.runtime.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fast kernels against the reference kernels, bit-exact, on seeded random configurations per op
 * (shapes, strides, asymmetric pads and ceil-mode overhang, dilations, depth multipliers, zero
 * points, multipliers/shifts, activation ranges, with and without bias). The count per op is
 * {@code -Dedgeq.randomConfigs=N} (default 1000); the seed is {@code -Dedgeq.randomSeed} (default
 * fixed). A mismatch fails with every parameter of the configuration.
 */
class RandomConfigTest {
    static final int CONFIGS = Integer.getInteger("edgeq.randomConfigs", 1000);
    static final long SEED = Long.getLong("edgeq.randomSeed", 20261122L);

    @Test
    void conv2D() {
        Random r = new Random(SEED);
        int checked = 0;
        while (checked < CONFIGS) {
            ConvParams p = randomConv(r, false);
            if (p == null) {
                continue;
            }
            byte[] filter = randomWeights(r, p.geometry.convFilterSize());
            int[] bias = r.nextInt(4) == 0 ? null : randomBias(r, p.geometry.outputC);
            byte[] input = randomBytes(r, p.geometry.inputSize());
            long seed = r.nextLong();
            byte[] expected = KernelHarness.run(Int8Kernels.conv2D(p, filter, 0, bias, 0, Int8Kernels.Implementation.REFERENCE),
                    input, p.geometry.outputSize(), seed);
            for (Int8Kernels.Implementation impl : KernelHarness.fastImplementations()) {
                byte[] actual = KernelHarness.run(Int8Kernels.conv2D(p, filter, 0, bias, 0, impl), input, p.geometry.outputSize(), seed);
                check("conv2D", impl, checked, p + ", bias=" + (bias != null), expected, actual);
            }
            checked++;
        }
        report("conv2D", checked);
    }

    @Test
    void depthwiseConv2D() {
        Random r = new Random(SEED + 1);
        int checked = 0;
        while (checked < CONFIGS) {
            ConvParams p = randomConv(r, true);
            if (p == null) {
                continue;
            }
            byte[] filter = randomWeights(r, p.geometry.depthwiseFilterSize());
            int[] bias = r.nextInt(4) == 0 ? null : randomBias(r, p.geometry.outputC);
            byte[] input = randomBytes(r, p.geometry.inputSize());
            long seed = r.nextLong();
            byte[] expected = KernelHarness.run(Int8Kernels.depthwiseConv2D(p, filter, 0, bias, 0, Int8Kernels.Implementation.REFERENCE),
                    input, p.geometry.outputSize(), seed);
            for (Int8Kernels.Implementation impl : KernelHarness.fastImplementations()) {
                byte[] actual = KernelHarness.run(Int8Kernels.depthwiseConv2D(p, filter, 0, bias, 0, impl), input, p.geometry.outputSize(), seed);
                check("depthwiseConv2D", impl, checked, p + ", bias=" + (bias != null), expected, actual);
            }
            checked++;
        }
        report("depthwiseConv2D", checked);
    }

    @Test
    void fullyConnected() {
        Random r = new Random(SEED + 2);
        int checked = 0;
        while (checked < CONFIGS) {
            int batches = 1 + r.nextInt(3);
            int depth = 1 + (r.nextBoolean() ? r.nextInt(40) : r.nextInt(600));
            int outDepth = 1 + (r.nextBoolean() ? r.nextInt(20) : r.nextInt(140));
            int filterOffset = r.nextInt(3) == 0 ? r.nextInt(256) - 127 : 0;
            int[] mult = new int[outDepth];
            int[] shift = new int[outDepth];
            randomRequant(r, depth, mult, shift);
            int[] act = randomActivation(r);
            FullyConnectedParams p = FullyConnectedParams.perChannel(batches, depth, outDepth, r.nextInt(256) - 127, filterOffset,
                    r.nextInt(256) - 128, act[0], act[1], mult, shift);
            byte[] filter = randomWeights(r, depth * outDepth);
            int[] bias = r.nextInt(4) == 0 ? null : randomBias(r, outDepth);
            byte[] input = randomBytes(r, batches * depth);
            long seed = r.nextLong();
            int outSize = batches * outDepth;
            byte[] expected = KernelHarness.run(Int8Kernels.fullyConnected(p, filter, 0, bias, 0, Int8Kernels.Implementation.REFERENCE),
                    input, outSize, seed);
            for (Int8Kernels.Implementation impl : KernelHarness.fastImplementations()) {
                byte[] actual = KernelHarness.run(Int8Kernels.fullyConnected(p, filter, 0, bias, 0, impl), input, outSize, seed);
                check("fullyConnected", impl, checked, p + ", bias=" + (bias != null), expected, actual);
            }
            checked++;
        }
        report("fullyConnected", checked);
    }

    @Test
    void maxPool2D() {
        pools(true);
    }

    @Test
    void averagePool2D() {
        pools(false);
    }

    private void pools(boolean max) {
        String op = max ? "maxPool2D" : "averagePool2D";
        Random r = new Random(SEED + (max ? 3 : 4));
        int checked = 0;
        while (checked < CONFIGS) {
            PoolParams p = randomPool(r);
            if (p == null) {
                continue;
            }
            byte[] input = randomBytes(r, p.geometry.inputSize());
            long seed = r.nextLong();
            Int8Kernel ref = max ? Int8Kernels.maxPool2D(p, Int8Kernels.Implementation.REFERENCE)
                    : Int8Kernels.averagePool2D(p, Int8Kernels.Implementation.REFERENCE);
            byte[] expected = KernelHarness.run(ref, input, p.geometry.outputSize(), seed);
            for (Int8Kernels.Implementation impl : KernelHarness.fastImplementations()) {
                Int8Kernel fast = max ? Int8Kernels.maxPool2D(p, impl) : Int8Kernels.averagePool2D(p, impl);
                check(op, impl, checked, p.toString(), expected, KernelHarness.run(fast, input, p.geometry.outputSize(), seed));
            }
            checked++;
        }
        report(op, checked);
    }

    @Test
    void add() {
        Random r = new Random(SEED + 5);
        int checked = 0;
        while (checked < CONFIGS) {
            float s1 = (float) Math.exp(r.nextDouble() * 6 - 5);
            float s2 = (float) (s1 * Math.exp(r.nextDouble() * 4 - 2));
            float so = (float) (Math.max(s1, s2) * Math.exp(r.nextDouble() * 3 - 1));
            int[] act = randomActivation(r);
            AddParams p = AddParams.fromScales(s1, r.nextInt(256) - 128, s2, r.nextInt(256) - 128, so, r.nextInt(256) - 128,
                    act[0], act[1]);
            int length = 1 + r.nextInt(300);
            byte[] a = randomBytes(r, length);
            byte[] b = randomBytes(r, length);
            byte[] expected = new byte[length + 2];
            byte[] actual = new byte[length + 2];
            AddReference.eval(p, a, 0, b, 0, expected, 1, length);
            AddFast.prepare(p).eval(a, 0, b, 0, actual, 1, length);
            check("add", null, checked, p + ", scales=" + s1 + "," + s2 + "," + so + ", length=" + length, expected, actual);
            checked++;
        }
        System.out.printf("random configs [add]: %d checked, AddFast against AddReference, 0 mismatches%n", checked);
        assertEquals(CONFIGS, comparisons, "comparisons made");
    }

    /**
     * Add / Sub / Mul through {@link Int8Kernels#elementPair}: same shapes and a per-channel gate on
     * either side, lengths that leave vector tails, parameters that the vector kernel takes and ones
     * it hands to the table (Mul with a left shift).
     */
    @Test
    void elementPair() {
        Random r = new Random(SEED + 6);
        int checked = 0;
        while (checked < CONFIGS) {
            ElementPairFunction f = randomElementPair(r);
            int pixels = 1 + r.nextInt(40);
            int channels = 1 + (r.nextBoolean() ? r.nextInt(40) : r.nextInt(200));
            dev.edgeq.runtime.kernels.ChannelBroadcast s = r.nextInt(3) == 0
                    ? dev.edgeq.runtime.kernels.ChannelBroadcast.sameShape(pixels, channels)
                    : dev.edgeq.runtime.kernels.ChannelBroadcast.gate(pixels, channels, r.nextBoolean());
            byte[] a = randomBytes(r, s.input1Size() + 2);
            byte[] b = randomBytes(r, s.input2Size() + 3);
            byte[] expected = new byte[s.outputSize() + 2];
            Int8Kernels.elementPair(f, Int8Kernels.Implementation.REFERENCE).eval(s, a, 2, b, 3, expected, 1);
            for (Int8Kernels.Implementation impl : KernelHarness.fastImplementations()) {
                byte[] actual = new byte[s.outputSize() + 2];
                Int8Kernels.elementPair(f, impl).eval(s, a, 2, b, 3, actual, 1);
                check("elementPair", impl, checked, f + ", " + s, expected, actual);
            }
            checked++;
        }
        report("elementPair", checked);
    }

    /**
     * Every one of the 65536 input pairs, for random Add, Sub and Mul parameters: the vector kernel's
     * split fixed-point arithmetic against the scalar definition on all inputs, not a sample.
     */
    @Test
    void elementPairAllInputPairs() {
        Random r = new Random(SEED + 7);
        byte[] a = new byte[65536 + 1];
        byte[] b = new byte[65536 + 5];
        for (int i = 0; i < 65536; i++) {
            a[1 + i] = (byte) (i >> 8);
            b[5 + i] = (byte) i;
        }
        dev.edgeq.runtime.kernels.ChannelBroadcast s = dev.edgeq.runtime.kernels.ChannelBroadcast.sameShape(256, 256);
        int configs = Math.max(30, CONFIGS / 20);
        int vectorRuns = 0;
        // The split arithmetic's extremes: largest multipliers, no and largest right shifts, |p| = 255^2.
        ElementPairFunction[] edges = {
            new MulParams(-128, -128, 0, Integer.MAX_VALUE, 0, -128, 127),
            new MulParams(127, -128, -5, Integer.MAX_VALUE, -31, -128, 127),
            new MulParams(-128, 127, 3, 1 << 30, -15, -128, 127),
            new MulParams(0, 0, 0, 0, 0, -128, 127),
            new AddParams(128, 128, 20, Integer.MAX_VALUE, 0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE, 0, 0, -128, 127),
            new AddParams(-127, 128, 20, Integer.MAX_VALUE, 0, -Integer.MAX_VALUE, 0, Integer.MAX_VALUE, -31, 0, -128, 127),
            new AddParams(128, -127, 15, -Integer.MAX_VALUE, -3, Integer.MAX_VALUE, -31, Integer.MAX_VALUE, -12, 7, -128, 127),
            new AddParams(-127, -127, 20, 1 << 30, -1, 1 << 30, 0, 1 << 30, -20, -128, -100, 100),
        };
        for (int n = 0; n < configs + edges.length; n++) {
            ElementPairFunction f = n < edges.length ? edges[n] : randomElementPair(r);
            byte[] expected = new byte[65536];
            Int8Kernels.elementPair(f, Int8Kernels.Implementation.REFERENCE).eval(s, a, 1, b, 5, expected, 0);
            for (Int8Kernels.Implementation impl : KernelHarness.fastImplementations()) {
                ElementPairKernel k = Int8Kernels.elementPair(f, impl);
                vectorRuns += k instanceof BroadcastBinaryFast ? 0 : 1;
                byte[] actual = new byte[65536];
                k.eval(s, a, 1, b, 5, actual, 0);
                check("elementPair (all pairs)", impl, n, f.toString(), expected, actual);
            }
        }
        System.out.printf("elementPair: all 65536 input pairs for %d configurations, %d runs on the vector kernel%n",
                configs + edges.length, vectorRuns);
        if (VectorSupport.available() && VectorSupport.intLanes() >= 8) {
            assertTrue(vectorRuns >= configs / 5, "the vector kernel ran " + vectorRuns + " of " + configs + " configurations");
        }
    }

    /**
     * The 256-entry table ops through {@link Int8Kernels#lookupTable}: random tables and inputs, lengths
     * and offsets that leave vector tails; the first configuration puts every input value at every lane
     * position of a 64-lane vector.
     */
    @Test
    void lookupTable() {
        Random r = new Random(SEED + 8);
        int checked = 0;
        while (checked < CONFIGS) {
            byte[] values = randomBytes(r, 256);
            ElementFunction f = x -> values[x + 128];
            int length = checked == 0 ? 256 * 64 : 1 + (r.nextBoolean() ? r.nextInt(300) : r.nextInt(3000));
            byte[] input = randomBytes(r, length + 3);
            if (checked == 0) {
                for (int i = 0; i < length; i++) {
                    input[3 + i] = (byte) (i + i / 256);
                }
            }
            byte[] expected = new byte[length + 2];
            Int8Kernels.lookupTable(f, Int8Kernels.Implementation.REFERENCE).eval(input, 3, expected, 1, length);
            for (Int8Kernels.Implementation impl : KernelHarness.fastImplementations()) {
                byte[] actual = new byte[length + 2];
                Int8Kernels.lookupTable(f, impl).eval(input, 3, actual, 1, length);
                check("lookupTable", impl, checked, "length " + length, expected, actual);
            }
            checked++;
        }
        report("lookupTable", checked);
    }

    /** Add, Sub or Mul with random scales and zero points; a tenth of the Mul have a multiplier above one. */
    static ElementPairFunction randomElementPair(Random r) {
        float s1 = (float) Math.exp(r.nextDouble() * 6 - 5);
        float s2 = (float) (s1 * Math.exp(r.nextDouble() * 4 - 2));
        int z1 = r.nextInt(256) - 128;
        int z2 = r.nextInt(256) - 128;
        int zo = r.nextInt(256) - 128;
        int[] act = randomActivation(r);
        switch (r.nextInt(3)) {
            case 0: {
                double real = r.nextInt(10) == 0 ? Math.exp(r.nextDouble() * 3) : Math.exp(-r.nextDouble() * 12);
                return MulParams.fromScales(s1, z1, s2, z2, (float) (s1 * s2 / real), zo, act[0], act[1]);
            }
            case 1:
                return AddParams.fromScales(s1, z1, s2, z2, (float) (Math.max(s1, s2) * Math.exp(r.nextDouble() * 5 - 2)), zo,
                        act[0], act[1]);
            default:
                return AddParams.subFromScales(s1, z1, s2, z2, (float) (Math.max(s1, s2) * Math.exp(r.nextDouble() * 5 - 2)), zo,
                        act[0], act[1]);
        }
    }

    // ---- random configurations ----

    /** A random conv / depthwise configuration, or null when the drawn geometry is impossible. */
    static ConvParams randomConv(Random r, boolean depthwise) {
        int batches = r.nextInt(8) == 0 ? 2 : 1;
        int inH = 1 + r.nextInt(12);
        int inW = 1 + r.nextInt(12);
        int inC = 1 + (r.nextInt(4) == 0 ? r.nextInt(40) : r.nextInt(8));
        int mult = depthwise ? (r.nextInt(3) == 0 ? 1 + r.nextInt(4) : 1) : 1;
        int outC = depthwise ? inC * mult : 1 + (r.nextInt(4) == 0 ? r.nextInt(70) : r.nextInt(20));
        int fh = 1 + r.nextInt(5);
        int fw = r.nextInt(3) == 0 ? fh : 1 + r.nextInt(5);
        int sh = 1 + r.nextInt(3);
        int sw = r.nextInt(2) == 0 ? sh : 1 + r.nextInt(3);
        int dh = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 1;
        int dw = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 1;
        int pt = r.nextInt(3) == 0 ? 0 : r.nextInt(4);
        int pl = r.nextInt(3) == 0 ? 0 : r.nextInt(4);
        int pb = r.nextInt(3) == 0 ? 0 : r.nextInt(4);
        int pr = r.nextInt(3) == 0 ? 0 : r.nextInt(4);
        int spanH = inH + pt + pb - (dh * (fh - 1) + 1);
        int spanW = inW + pl + pr - (dw * (fw - 1) + 1);
        if (spanH < 0 || spanW < 0) {
            return null;
        }
        int outH = spanH / sh + 1;
        int outW = spanW / sw + 1;
        int[] multipliers = new int[outC];
        int[] shifts = new int[outC];
        randomRequant(r, depthwise ? fh * fw : fh * fw * inC, multipliers, shifts);
        int[] act = randomActivation(r);
        return ConvParams.builder().input(batches, inH, inW, inC).output(outH, outW, outC).kernel(fh, fw)
                .stride(sh, sw).dilation(dh, dw).padding(pt, pl, pb, pr).depthMultiplier(mult)
                .offsets(r.nextInt(256) - 127, r.nextInt(256) - 128).activation(act[0], act[1])
                .perChannel(multipliers, shifts).build();
    }

    /** A random pool configuration (floor or ceil mode), or null when some window misses the input. */
    static PoolParams randomPool(Random r) {
        int batches = r.nextInt(8) == 0 ? 2 : 1;
        boolean global = r.nextInt(10) == 0;
        int inH = 1 + r.nextInt(12);
        int inW = 1 + r.nextInt(12);
        int ch = 1 + (r.nextBoolean() ? r.nextInt(40) : r.nextInt(6));
        int[] act = randomActivation(r);
        if (global) {
            return PoolParams.global(batches, inH, inW, ch, act[0], act[1]);
        }
        int fh = 1 + r.nextInt(5);
        int fw = 1 + r.nextInt(5);
        int sh = 1 + r.nextInt(3);
        int sw = 1 + r.nextInt(3);
        int pt = r.nextInt(fh), pb = r.nextInt(fh), pl = r.nextInt(fw), pr = r.nextInt(fw);
        int spanH = inH + pt + pb - fh;
        int spanW = inW + pl + pr - fw;
        if (spanH < 0 || spanW < 0) {
            return null;
        }
        boolean ceil = r.nextBoolean();
        int outH = (ceil ? (spanH + sh - 1) / sh : spanH / sh) + 1;
        int outW = (ceil ? (spanW + sw - 1) / sw : spanW / sw) + 1;
        if ((outH - 1) * sh - pt >= inH || (outW - 1) * sw - pl >= inW) {
            return null; // ONNX drops a ceil-mode window that starts in the end padding
        }
        return PoolParams.builder().input(batches, inH, inW, ch).output(outH, outW).kernel(fh, fw).stride(sh, sw)
                .padding(pt, pl, pb, pr).activation(act[0], act[1]).countIncludePad(r.nextBoolean()).build();
    }

    /**
     * Multipliers in [2^30, 2^31) and shifts chosen so typical accumulators of {@code depth} terms land
     * near the int8 range (so outputs are not all saturated), with some spread and the odd extreme.
     */
    static void randomRequant(Random r, int depth, int[] multipliers, int[] shifts) {
        double typicalAcc = 128.0 * 70.0 * Math.sqrt(depth);
        int base = -(int) Math.round(Math.log(typicalAcc / 64.0) / Math.log(2));
        for (int i = 0; i < multipliers.length; i++) {
            multipliers[i] = (1 << 30) + r.nextInt(1 << 30);
            int s = base + r.nextInt(5) - 2;
            if (r.nextInt(50) == 0) {
                s = r.nextInt(63) - 31;
            }
            shifts[i] = Math.max(-31, Math.min(31, s));
        }
    }

    static int[] randomActivation(Random r) {
        switch (r.nextInt(4)) {
            case 0: {
                int a = r.nextInt(256) - 128;
                int b = r.nextInt(256) - 128;
                return new int[] {Math.min(a, b), Math.max(a, b)};
            }
            case 1:
                return new int[] {r.nextInt(256) - 128, 127};
            default:
                return new int[] {-128, 127};
        }
    }

    static byte[] randomWeights(Random r, int n) {
        byte[] w = new byte[n];
        boolean allowMin = r.nextInt(10) == 0;
        for (int i = 0; i < n; i++) {
            w[i] = (byte) (allowMin ? r.nextInt(256) - 128 : r.nextInt(255) - 127);
        }
        return w;
    }

    static int[] randomBias(Random r, int n) {
        int[] b = new int[n];
        int range = r.nextInt(5) == 0 ? 1 << 24 : 1 << 14;
        for (int i = 0; i < n; i++) {
            b[i] = r.nextInt(2 * range) - range;
        }
        return b;
    }

    static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** Fast-vs-reference comparisons made by this test (one test instance per test method). */
    private int comparisons;

    private void check(String op, Int8Kernels.Implementation impl, int index, String params, byte[] expected, byte[] actual) {
        comparisons++;
        int at = KernelHarness.firstMismatch(expected, actual);
        if (at >= 0) {
            throw new AssertionError(op + " " + (impl == null ? "fast" : impl) + " differs from reference at configuration #"
                    + index + " (seed " + SEED + "), output index " + at + ": expected " + expected[at] + ", got " + actual[at]
                    + "\n  parameters: " + params);
        }
    }

    private void report(String op, int checked) {
        System.out.printf("random configs [%s]: %d checked against the reference (%s), 0 mismatches%n", op, checked,
                KernelHarness.describeFast());
        // every configuration against every fast kernel: fails when there is no fast kernel to compare
        assertEquals(CONFIGS * KernelHarness.fastImplementations().size(), comparisons, "comparisons made");
        assertTrue(comparisons >= CONFIGS, "no fast implementation was compared: " + KernelHarness.describeFast());
    }
}
