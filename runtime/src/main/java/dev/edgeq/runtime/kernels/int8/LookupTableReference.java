package dev.edgeq.runtime.kernels.int8;

/** Reference kernel of an {@link ElementFunction} op: computes every element directly (the oracle). */
public final class LookupTableReference {
    private LookupTableReference() {
    }

    public static void eval(ElementFunction f, byte[] input, int inputStart, byte[] output, int outputStart, int length) {
        for (int i = 0; i < length; i++) {
            output[outputStart + i] = (byte) f.apply(input[inputStart + i]);
        }
    }
}
