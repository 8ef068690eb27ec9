package dev.edgeq.runtime.kernels.int8;

/** Reference int8 PRelu ({@link PReluParams}): each element computed directly (the oracle). */
public final class PReluReference {
    private PReluReference() {
    }

    /** {@code length} elements, a multiple of the channel count, channels innermost. */
    public static void eval(PReluParams p, byte[] input, int inputStart, byte[] output, int outputStart, int length) {
        for (int i = 0; i < length; i++) {
            output[outputStart + i] = (byte) p.apply(input[inputStart + i], i % p.channels());
        }
    }
}
