package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.ChannelBroadcast;

/** Reference int8 Add / Sub / Mul with a per-channel gate broadcast ({@link ChannelBroadcast}); the oracle. */
public final class BroadcastBinaryReference {
    private BroadcastBinaryReference() {
    }

    public static void eval(ElementPairFunction f, ChannelBroadcast s, byte[] input1, int input1Start, byte[] input2,
                            int input2Start, byte[] output, int outputStart) {
        for (int p = 0; p < s.pixels; p++) {
            for (int c = 0; c < s.channels; c++) {
                int i1 = s.input1PerChannel ? c : p * s.channels + c;
                int i2 = s.input2PerChannel ? c : p * s.channels + c;
                output[outputStart + p * s.channels + c] = (byte) f.apply(input1[input1Start + i1], input2[input2Start + i2]);
            }
        }
    }
}
