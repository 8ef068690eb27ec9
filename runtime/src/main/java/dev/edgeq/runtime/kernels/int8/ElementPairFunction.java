package dev.edgeq.runtime.kernels.int8;

/**
 * An int8 operator whose output element depends only on the pair of input elements it combines
 * (Add, Sub, Mul): {@link BroadcastBinaryReference} calls it per element, {@link BroadcastBinaryFast}
 * tabulates it for all 65536 pairs at prepare. Implementations are immutable prepare-time objects.
 */
@FunctionalInterface
public interface ElementPairFunction {
    /** The int8 output, in [-128, 127], for int8 inputs {@code x1} and {@code x2}. */
    int apply(int x1, int x2);
}
