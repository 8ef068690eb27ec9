package dev.edgeq.runtime.ops;

import dev.edgeq.format.HardSigmoidOptions;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.float32.Activations;
import dev.edgeq.runtime.kernels.float32.UnaryFloat;
import dev.edgeq.runtime.kernels.int8.ElementFunction;
import dev.edgeq.runtime.kernels.int8.ElementKernel;
import dev.edgeq.runtime.kernels.int8.HardSwishParams;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.kernels.int8.RealFunctionTable;
import java.util.function.Function;

/**
 * HARD_SIGMOID, HARD_SWISH, SIGMOID, SILU, TANH: one value in, one value out. Float applies the
 * {@link Activations} function per element (Sigmoid and SiLU outside the REFERENCE family: their
 * float-arithmetic versions, {@code FloatKernels#sigmoid}); int8 looks each element up in a
 * 256-entry table built here at prepare ({@link RealFunctionTable}, TFLite's table semantics, for any function through
 * {@link #of}; HardSwish TFLite's own fixed-point kernel, {@link HardSwishParams}; HardSigmoid
 * reads its options). Any output quantization is accepted; the converter
 * gives Sigmoid TFLite's (1/256, -128) and Tanh (1/128, 0).
 */
final class TableActivationOp implements OpRegistration {
    /** Reads the operator's options into the real function, once, at prepare. */
    private interface FloatFactory {
        UnaryFloat.Function of(OpInfo op);
    }

    /** The float kernel of an operator for a kernel family, at prepare. */
    private interface FloatKernelFactory {
        UnaryFloat.Kernel of(OpInfo op, Int8Kernels.Implementation family);
    }

    /** The int8 function for an operator with input x and output y. */
    private interface Int8Factory {
        ElementFunction of(OpInfo op, TensorInfo x, TensorInfo y);
    }

    /**
     * The table activation of a real function (float: the function per element; int8: the table of
     * its values, {@link RealFunctionTable}). A new one is this and one line in {@link OpRegistry}.
     */
    static TableActivationOp of(UnaryFloat.Function f) {
        return new TableActivationOp(perElement(op -> f),
                (op, x, y) -> RealFunctionTable.of(f, x.scale(), x.zeroPoint(), y.scale(), y.zeroPoint()));
    }

    /**
     * As {@link #of(UnaryFloat.Function)}, with a faster float kernel per family (the int8 table stays
     * the exact {@code f}'s: the fast kernels are a few ulps from it, see FastActivations).
     */
    static TableActivationOp of(UnaryFloat.Function f, Function<Int8Kernels.Implementation, UnaryFloat.Kernel> fast) {
        return new TableActivationOp((op, family) -> fast.apply(family),
                (op, x, y) -> RealFunctionTable.of(f, x.scale(), x.zeroPoint(), y.scale(), y.zeroPoint()));
    }

    private static FloatKernelFactory perElement(FloatFactory f) {
        return (op, family) -> UnaryFloat.perElement(f.of(op));
    }

    /** TFLite's own int8 HardSwish (16-bit fixed point), not a table of the real function's values. */
    static final TableActivationOp HARD_SWISH = new TableActivationOp(perElement(op -> Activations::hardSwish),
            (op, x, y) -> HardSwishParams.fromScales(x.scale(), x.zeroPoint(), y.scale(), y.zeroPoint()));
    static final TableActivationOp HARD_SIGMOID = new TableActivationOp(perElement(op -> {
        HardSigmoidOptions o = op.op().getHardSigmoid();
        float alpha = o.getAlpha();
        float beta = o.getBeta();
        return x -> Activations.hardSigmoid(x, alpha, beta);
    }), (op, x, y) -> {
        HardSigmoidOptions o = op.op().getHardSigmoid();
        return RealFunctionTable.hardSigmoid(o.getAlpha(), o.getBeta(), x.scale(), x.zeroPoint(), y.scale(), y.zeroPoint());
    });

    private final FloatKernelFactory floatFactory;
    private final Int8Factory int8Factory;

    private TableActivationOp(FloatKernelFactory floatFactory, Int8Factory int8Factory) {
        this.floatFactory = floatFactory;
        this.int8Factory = int8Factory;
    }

    @Override
    public void validate(OpInfo op) throws ModelFormatException {
        op.requireInputs(1, 1);
        op.requireOutputs(1);
        TensorInfo x = op.input(0);
        op.requireActivationTypes(x, op.output());
        op.requireSameCount(x, op.output());
        if (this == HARD_SIGMOID && !op.op().hasHardSigmoid()) {
            throw op.error("missing hard_sigmoid options (alpha, beta)");
        }
    }

    @Override
    public PreparedOp prepareFloat(OpContext ctx) {
        TensorStorage s = ctx.storage();
        int n = ctx.input(0).elementCount();
        float[] in = s.floats(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        float[] out = s.floats(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        UnaryFloat.Kernel k = floatFactory.of(ctx, ctx.int8Implementation());
        return () -> k.eval(n, in, inOff, out, outOff);
    }

    @Override
    public PreparedOp prepareInt8(OpContext ctx) throws ModelFormatException {
        TensorInfo x = ctx.input(0);
        TensorInfo y = ctx.output();
        ctx.requirePerTensor(x, "input");
        ctx.requirePerTensor(y, "output");
        ElementFunction f = int8Factory.of(ctx, x, y);
        TensorStorage s = ctx.storage();
        int n = x.elementCount();
        byte[] in = s.bytes(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        byte[] out = s.bytes(ctx.outputIndex(0));
        int outOff = s.offset(ctx.outputIndex(0));
        ElementKernel table = Int8Kernels.lookupTable(f, ctx.int8Implementation());
        return () -> table.eval(in, inOff, out, outOff, n);
    }

    /** A function or a lookup per element, no multiply-accumulate. */
    @Override
    public long macs(OpInfo op) {
        return 0;
    }
}
