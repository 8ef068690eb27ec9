package dev.edgeq.runtime.ops;

import dev.edgeq.format.FusedActivation;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.int8.Int8Kernel;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.quant.ActivationRange;
import dev.edgeq.runtime.quant.QuantizedMultiplier;
import java.util.Locale;

/**
 * What an operator's prepare step sees: the {@link OpInfo} view plus where every tensor lives
 * ({@link #storage()}: array and offset, fixed for the Interpreter's life) and the prepare-time
 * helpers that int8 operators share (fused-activation clamps, per-channel requantization, binding
 * a single-input {@link Int8Kernel}).
 */
public final class OpContext extends OpInfo {
    /** System property selecting the int8 kernel family (read when an Interpreter is created). */
    public static final String KERNELS_PROPERTY = "edgeq.int8.kernels";

    private final TensorStorage storage;

    /** Made by the Interpreter for each operator; public for tests that prepare one op. */
    public OpContext(Model model, int index, TensorStorage storage) {
        super(model, index);
        this.storage = storage;
    }

    public TensorStorage storage() { return storage; }

    /**
     * The int8 kernel family requested by {@code -Dedgeq.int8.kernels=auto|scalar|vector|reference}
     * (default auto: the Vector API kernels when the JVM has {@code jdk.incubator.vector}, else the
     * scalar fast kernels; reference runs the oracle kernels the fast ones are held bit-exact to).
     */
    public Int8Kernels.Implementation int8Implementation() throws ModelFormatException {
        String value = System.getProperty(KERNELS_PROPERTY, "auto").trim().toUpperCase(Locale.ROOT);
        try {
            return Int8Kernels.Implementation.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw error("-D" + KERNELS_PROPERTY + "=" + System.getProperty(KERNELS_PROPERTY)
                    + " is not one of auto, scalar, vector, reference");
        }
    }

    /** The int8 clamp of a fused activation at the output's scale and zero point. */
    public ActivationRange activationRange(FusedActivation a, TensorInfo y) throws ModelFormatException {
        try {
            switch (a.getType()) {
                case ACTIVATION_RELU: return ActivationRange.relu(y.scale(), y.zeroPoint());
                case ACTIVATION_RELU6: return ActivationRange.relu6(y.scale(), y.zeroPoint());
                case ACTIVATION_CLIP: return ActivationRange.clip(a.getMin(), a.getMax(), y.scale(), y.zeroPoint());
                default: return ActivationRange.none();
            }
        } catch (IllegalArgumentException e) {
            throw error("fused activation " + a.getType() + " on output " + y.describe() + ": " + e.getMessage());
        }
    }

    /**
     * Requantization of a conv / dense output channel c: {@code M = xScale * wScale[c] / yScale} in
     * double precision from the float32 scales (as TFLite), as a Q31 multiplier and shift by
     * {@link QuantizedMultiplier#quantizeMultiplier(double)}. Weights must be symmetric (zero point
     * 0) and quantized per tensor or per channel along {@code channelAxis}.
     *
     * @return {multipliers[outputs], shifts[outputs]}
     */
    public int[][] perChannelMultipliers(TensorInfo x, TensorInfo w, TensorInfo y, int outputs, int channelAxis)
            throws ModelFormatException {
        float[] ws = w.scales();
        if (ws.length != 1 && (ws.length != outputs || w.quantizedDimension() != channelAxis)) {
            throw error("weights " + w.describe() + " need 1 scale or " + outputs + " scales along dimension "
                    + channelAxis + ", got " + ws.length + " along dimension " + w.quantizedDimension());
        }
        for (int z : w.zeroPoints()) {
            if (z != 0) {
                throw error("weights " + w.describe() + " must be symmetric (zero point 0), found zero point " + z);
            }
        }
        int[] multipliers = new int[outputs];
        int[] shifts = new int[outputs];
        for (int c = 0; c < outputs; c++) {
            double real = (double) x.scale() * (double) ws[ws.length == 1 ? 0 : c] / (double) y.scale();
            QuantizedMultiplier m;
            try {
                m = QuantizedMultiplier.quantizeMultiplier(real);
            } catch (IllegalArgumentException e) {
                throw error("output channel " + c + ": requantization multiplier " + real + " is out of range ("
                        + e.getMessage() + ")");
            }
            multipliers[c] = m.multiplier();
            shifts[c] = m.shift();
        }
        return new int[][] {multipliers, shifts};
    }

    /** The int32 bias (input 2, if present) must have zero point 0: its scale xScale * wScale[c] is implied. */
    public void requireBiasZeroPoint() throws ModelFormatException {
        if (!hasInput(2)) {
            return;
        }
        TensorInfo b = input(2);
        for (int z : b.zeroPoints()) {
            if (z != 0) {
                throw error("bias " + b.describe() + " must have zero point 0, found " + z);
            }
        }
    }

    /**
     * The error of {@link OpRegistration#prepareInt8} for an operator that exists only in float
     * (unreachable when its validate requires FLOAT32 input; the quantizer puts such operators between
     * DEQUANTIZE and QUANTIZE).
     */
    public ModelFormatException floatOnly() {
        return error("has no int8 kernel; an int8 model runs it in float between DEQUANTIZE and QUANTIZE");
    }

    /** Binds a single-input int8 kernel to input 0 and output 0, with its own scratch (allocated here, once). */
    public PreparedOp bind(Int8Kernel kernel) {
        byte[] in = storage.bytes(inputIndex(0));
        int inOff = storage.offset(inputIndex(0));
        byte[] out = storage.bytes(outputIndex(0));
        int outOff = storage.offset(outputIndex(0));
        int[] scratch = new int[kernel.scratchInts()];
        return () -> kernel.eval(in, inOff, out, outOff, scratch, 0);
    }
}
