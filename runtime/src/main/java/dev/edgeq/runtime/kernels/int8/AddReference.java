package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.quant.QuantizedMultiplier;

/** Reference int8 Add of two same-shape tensors (TFLite's {@code reference_integer_ops::Add}); the oracle. */
public final class AddReference {
    private AddReference() {
    }

    public static void eval(AddParams p, byte[] input1, int input1Start, byte[] input2, int input2Start,
                            byte[] output, int outputStart, int length) {
        for (int i = 0; i < length; i++) {
            int a = (input1[input1Start + i] + p.input1Offset) * (1 << p.leftShift);
            int b = (input2[input2Start + i] + p.input2Offset) * (1 << p.leftShift);
            int scaledA = QuantizedMultiplier.multiplyByQuantizedMultiplier(a, p.input1Multiplier, p.input1Shift);
            int scaledB = QuantizedMultiplier.multiplyByQuantizedMultiplier(b, p.input2Multiplier, p.input2Shift);
            int raw = QuantizedMultiplier.multiplyByQuantizedMultiplier(scaledA + scaledB, p.outputMultiplier, p.outputShift)
                    + p.outputOffset;
            raw = Math.max(raw, p.activationMin);
            raw = Math.min(raw, p.activationMax);
            output[outputStart + i] = (byte) raw;
        }
    }
}
