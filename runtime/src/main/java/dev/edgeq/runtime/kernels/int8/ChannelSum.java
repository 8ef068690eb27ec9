package dev.edgeq.runtime.kernels.int8;

/**
 * The inner step of average pooling and Mean: {@code acc[to + c] += src[from + c]} for the channels of
 * one input pixel. A strategy chosen at prepare ({@link #SCALAR}, or the Vector API form from
 * {@link VectorKernelFactory}), so that {@link MeanFast} and {@link AveragePool2DFast} stay loadable
 * without the incubator module. Integer sums: every form gives the same result.
 */
interface ChannelSum {
    void add(byte[] src, int from, int[] acc, int to, int n);

    ChannelSum SCALAR = (src, from, acc, to, n) -> {
        for (int c = 0; c < n; c++) {
            acc[to + c] += src[from + c];
        }
    };
}
