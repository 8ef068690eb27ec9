package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;

/**
 * Fast kernel of an {@link ElementFunction} op, bit-exact with {@link LookupTableReference} by
 * construction: prepare evaluates the function for all 256 int8 inputs (256 bytes per layer), eval
 * is one byte lookup per element, whatever the function costs (TFLite does the same for its int8
 * Logistic and Tanh).
 */
public final class LookupTableFast implements ElementKernel {
    /** {@code table[x + 128]} = the op's output for input x. */
    private final byte[] table;

    private LookupTableFast(ElementFunction f) {
        table = tabulate(f);
    }

    /** {@code f} for every int8 input x, at {@code x + 128}. */
    static byte[] tabulate(ElementFunction f) {
        byte[] table = new byte[256];
        for (int x = -128; x <= 127; x++) {
            int y = f.apply(x);
            Checks.inRange("table output for input " + x, y, -128, 127);
            table[x + 128] = (byte) y;
        }
        return table;
    }

    public static LookupTableFast prepare(ElementFunction f) {
        return new LookupTableFast(f);
    }

    /** Allocation-free, no scratch. */
    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int length) {
        final byte[] t = table;
        for (int i = 0; i < length; i++) {
            output[outputStart + i] = t[input[inputStart + i] + 128];
        }
    }
}
