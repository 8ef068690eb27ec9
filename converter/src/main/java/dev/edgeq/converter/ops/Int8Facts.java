package dev.edgeq.converter.ops;

import dev.edgeq.runtime.Model;

/** What an {@link EdgeqOpSpec#int8Rule} may ask of the quantization in progress. */
public interface Int8Facts {
    /** The float model being quantized. */
    Model floatModel();

    /** Whether the float model's tensor is produced in int8 so far (false when a float operator produced it). */
    boolean producedInt8(int tensor);

    /**
     * Whether the tensor is produced in int8 with fixed parameters whose range lies inside [0, 1]
     * (a Sigmoid or HardSigmoid output): a gate that can only shrink what it multiplies.
     */
    boolean isGate(int tensor);
}
