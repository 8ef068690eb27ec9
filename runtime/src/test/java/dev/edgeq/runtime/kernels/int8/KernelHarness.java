package dev.edgeq.runtime.kernels.int8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Runs an {@link Int8Kernel} the way the Interpreter will: input, output and scratch placed at
 * non-zero offsets inside larger arrays, the scratch pre-filled with garbage (a kernel must not rely
 * on zeroed scratch), and guard bytes around the output that must survive.
 */
final class KernelHarness {
    static final int GUARD = 13;
    private static final byte GUARD_BYTE = (byte) 0x5A;

    private KernelHarness() {
    }

    /** The implementations under test: reference, scalar fast, and vector when the module is present. */
    static List<Int8Kernels.Implementation> implementations() {
        List<Int8Kernels.Implementation> list = new ArrayList<>(List.of(Int8Kernels.Implementation.REFERENCE,
                Int8Kernels.Implementation.SCALAR));
        if (VectorSupport.available()) {
            list.add(Int8Kernels.Implementation.VECTOR);
        }
        return list;
    }

    /** Fast implementations compared against the reference. */
    static List<Int8Kernels.Implementation> fastImplementations() {
        List<Int8Kernels.Implementation> list = implementations();
        list.remove(Int8Kernels.Implementation.REFERENCE);
        return list;
    }

    /** Human-readable list of the fast implementations with the vector width, for test reports. */
    static String describeFast() {
        return fastImplementations().stream()
                .map(i -> i == Int8Kernels.Implementation.VECTOR ? "VECTOR(" + VectorSupport.intLanes() + " int lanes)" : i.name())
                .toList().toString();
    }

    static byte[] run(Int8Kernel kernel, byte[] input, int outputSize, long seed) {
        Random random = new Random(seed);
        int inStart = 7;
        byte[] in = new byte[inStart + input.length + 5];
        random.nextBytes(in);
        System.arraycopy(input, 0, in, inStart, input.length);
        byte[] out = new byte[GUARD + outputSize + GUARD];
        Arrays.fill(out, GUARD_BYTE);
        int scratchStart = 3;
        int[] scratch = new int[scratchStart + kernel.scratchInts() + 4];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = random.nextInt();
        }
        int floatStart = 5;
        float[] floatScratch = new float[floatStart + kernel.scratchFloats() + 4];
        for (int i = 0; i < floatScratch.length; i++) {
            floatScratch[i] = random.nextFloat() * 1000 - 500; // kernels may not rely on zeroed scratch
        }
        kernel.eval(in, inStart, out, GUARD, scratch, scratchStart, floatScratch, floatStart);
        for (int i = 0; i < GUARD; i++) {
            if (out[i] != GUARD_BYTE || out[out.length - 1 - i] != GUARD_BYTE) {
                throw new AssertionError("kernel " + kernel.getClass().getSimpleName() + " wrote outside its output tensor");
            }
        }
        return Arrays.copyOfRange(out, GUARD, GUARD + outputSize);
    }

    /** Index of the first difference, or -1. */
    static int firstMismatch(byte[] expected, byte[] actual) {
        return Arrays.mismatch(expected, actual);
    }
}
