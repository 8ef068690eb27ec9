package dev.edgeq.runtime.ops;

import dev.edgeq.format.FusedActivation;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.FloatKernel;
import dev.edgeq.runtime.kernels.int8.Int8Kernel;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.quant.ActivationRange;
import dev.edgeq.runtime.quant.QuantizedMultiplier;

/**
 * What an operator's prepare step sees: the {@link OpInfo} view plus where every tensor lives
 * ({@link #storage()}: array and offset, fixed for the Interpreter's life) and the prepare-time
 * helpers that int8 operators share (fused-activation clamps, per-channel requantization, binding
 * a single-input {@link Int8Kernel}).
 */
public final class OpContext extends OpInfo {
    private final TensorStorage storage;
    private final WorkerPool pool;
    private final Int8Kernels.Implementation kernels;
    private final ScratchArena scratch;
    private final ScratchArena floatScratch;

    /**
     * Made by the Interpreter for each operator, with its worker pool ({@code null} for one thread),
     * int8 kernel family ({@link dev.edgeq.runtime.Interpreter.Options#kernels()}) and the scratch
     * arenas, int and float, that {@link #bind} requests from (placed by the Interpreter after every
     * op is prepared).
     */
    public OpContext(Model model, int index, TensorStorage storage, WorkerPool pool, Int8Kernels.Implementation kernels,
                     ScratchArena scratch, ScratchArena floatScratch) {
        super(model, index);
        this.storage = storage;
        this.pool = pool;
        this.kernels = kernels;
        this.scratch = scratch;
        this.floatScratch = floatScratch;
    }

    public TensorStorage storage() { return storage; }

    /** Threads an operator may split its work over (1 without a pool). */
    public int threads() {
        return pool == null ? 1 : pool.threads();
    }

    /**
     * One operator made of partitions that write disjoint parts of the output: runs {@code parts[0]}
     * on the calling thread and the others on the pool's workers, at most {@link #threads()} parts.
     */
    public PreparedOp parallel(PreparedOp[] parts) {
        if (parts.length == 1) {
            return parts[0];
        }
        if (pool == null || parts.length > pool.threads()) {
            throw new IllegalArgumentException(parts.length + " partitions for " + threads() + " threads");
        }
        WorkerPool p = pool;
        return () -> p.run(parts);
    }

    /**
     * The kernel family chosen in {@link dev.edgeq.runtime.Interpreter.Options.Builder#kernels} (int8
     * kernels, and the float convolution and fully connected kernels: {@code FloatKernels}).
     */
    public Int8Kernels.Implementation int8Implementation() {
        return kernels;
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

    /** Binds a single-input int8 kernel to input 0 and output 0, its scratch requested from the scratch arenas. */
    public PreparedOp bind(Int8Kernel kernel) {
        return bind(kernel, 0, 0);
    }

    /**
     * Binds a kernel that reads input 0 from element {@code inputSkip} and writes output 0 from
     * element {@code outputSkip} on (one partition of a parallel operator).
     */
    public PreparedOp bind(Int8Kernel kernel, int inputSkip, int outputSkip) {
        byte[] in = storage.bytes(inputIndex(0));
        int inOff = storage.offset(inputIndex(0)) + inputSkip;
        byte[] out = storage.bytes(outputIndex(0));
        int outOff = storage.offset(outputIndex(0)) + outputSkip;
        ScratchArena.Slot s = scratch.request(where(), kernel.scratchInts(), index());
        ScratchArena.Slot f = floatScratch.request(where(), kernel.scratchFloats(), index());
        return () -> kernel.eval(in, inOff, out, outOff, s.array(), s.offset(), f.floats(), f.offset());
    }

    /**
     * Binds a float kernel that reads input 0 from element {@code inputSkip} and writes output 0 from
     * element {@code outputSkip} on, its scratch requested from the float scratch arena.
     */
    public PreparedOp bind(FloatKernel kernel, int inputSkip, int outputSkip) {
        float[] in = storage.floats(inputIndex(0));
        int inOff = storage.offset(inputIndex(0)) + inputSkip;
        float[] out = storage.floats(outputIndex(0));
        int outOff = storage.offset(outputIndex(0)) + outputSkip;
        ScratchArena.Slot s = floatScratch.request(where(), kernel.scratchFloats(), index());
        return () -> kernel.eval(in, inOff, out, outOff, s.floats(), s.offset());
    }
}
