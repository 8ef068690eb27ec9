package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.ChannelBroadcast;

/**
 * A prepared int8 Add / Sub / Mul of two tensors, one of them possibly a per-channel gate
 * ({@link ChannelBroadcast}), chosen by {@link Int8Kernels#elementPair}. Eval allocates nothing and
 * needs no scratch; a prepared kernel holds only immutable tables, so threads may share it.
 */
public interface ElementPairKernel {
    void eval(ChannelBroadcast s, byte[] input1, int input1Start, byte[] input2, int input2Start, byte[] output, int outputStart);
}
