package dev.edgeq.runtime.kernels.int8;

/**
 * A prepared int8 element-wise op of one tensor (an {@link ElementFunction} tabulated), chosen by
 * {@link Int8Kernels#lookupTable}. Eval allocates nothing and needs no scratch; threads may share it.
 */
public interface ElementKernel {
    void eval(byte[] input, int inputStart, byte[] output, int outputStart, int length);
}
