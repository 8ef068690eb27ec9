package dev.edgeq.runtime.kernels.int8;

/**
 * An int8 operator whose output element depends only on the input element at the same index
 * (HardSigmoid, HardSwish, Sigmoid, SiLU, Tanh): {@link LookupTableReference} calls it per element,
 * {@link LookupTableFast} calls it once per possible input value at prepare and looks the results up.
 * Implementations are immutable prepare-time objects.
 */
@FunctionalInterface
public interface ElementFunction {
    /** The int8 output, in [-128, 127], for the int8 input {@code x} in [-128, 127]. */
    int apply(int x);
}
