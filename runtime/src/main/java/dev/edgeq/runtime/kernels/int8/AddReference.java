package dev.edgeq.runtime.kernels.int8;

/** Reference int8 Add of two same-shape tensors (TFLite's {@code reference_integer_ops::Add}); the oracle. */
public final class AddReference {
    private AddReference() {
    }

    public static void eval(AddParams p, byte[] input1, int input1Start, byte[] input2, int input2Start,
                            byte[] output, int outputStart, int length) {
        for (int i = 0; i < length; i++) {
            output[outputStart + i] = (byte) p.apply(input1[input1Start + i], input2[input2Start + i]);
        }
    }
}
