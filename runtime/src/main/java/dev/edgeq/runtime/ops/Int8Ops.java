package dev.edgeq.runtime.ops;

import dev.edgeq.format.FusedActivation;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.int8.AddFast;
import dev.edgeq.runtime.kernels.int8.AddParams;
import dev.edgeq.runtime.kernels.int8.AddReference;
import dev.edgeq.runtime.kernels.int8.ConvParams;
import dev.edgeq.runtime.kernels.int8.FullyConnectedParams;
import dev.edgeq.runtime.kernels.int8.Int8Kernel;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.kernels.int8.PoolParams;
import dev.edgeq.runtime.quant.ActivationRange;
import dev.edgeq.runtime.quant.QuantizedMultiplier;
import java.util.Locale;

/**
 * Prepare steps of the int8 operators (TFLite Micro's Prepare): from the tensors' quantization
 * parameters compute the per-channel requantization multipliers and shifts, the zero-point
 * offsets and the fused activation's int8 clamp, then bind the kernel chosen for the layer. Eval
 * only calls the kernel.
 *
 * <p>Kernel family: {@code -Dedgeq.int8.kernels=auto|scalar|vector|reference} (read when an
 * Interpreter is created; default {@code auto}: the Vector API kernels when the JVM has
 * {@code jdk.incubator.vector}, else the scalar fast kernels). {@code reference} runs the plain
 * reference kernels, the oracle that the fast ones are held bit-exact against.
 *
 * <p>Requantization of a conv/dense output channel c: {@code M = inputScale * weightScale[c] /
 * outputScale} in double precision from the float32 scales (as TFLite), turned into a Q31
 * multiplier and shift by {@link QuantizedMultiplier#quantizeMultiplier(double)}.
 */
final class Int8Ops {
    /** System property selecting the int8 kernel family. */
    static final String KERNELS_PROPERTY = "edgeq.int8.kernels";

    private Int8Ops() {}

    /** The kernel family requested by {@value #KERNELS_PROPERTY}. */
    static Int8Kernels.Implementation implementation(OpContext ctx) throws ModelFormatException {
        String value = System.getProperty(KERNELS_PROPERTY, "auto").trim().toUpperCase(Locale.ROOT);
        try {
            return Int8Kernels.Implementation.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw ctx.error("-D" + KERNELS_PROPERTY + "=" + System.getProperty(KERNELS_PROPERTY)
                    + " is not one of auto, scalar, vector, reference");
        }
    }

    static PreparedOp conv2D(OpContext ctx, ConvGeometry g) throws ModelFormatException {
        ConvParams p = convParams(ctx, g);
        byte[] filter = ctx.input(1).int8Data();
        int[] bias = ctx.hasInput(2) ? ctx.input(2).int32Data() : null;
        Int8Kernel kernel;
        try {
            kernel = Int8Kernels.conv2D(p, filter, 0, bias, 0, implementation(ctx));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw ctx.error("int8 conv kernel: " + e.getMessage());
        }
        return bind(ctx, kernel);
    }

    static PreparedOp depthwiseConv2D(OpContext ctx, ConvGeometry g) throws ModelFormatException {
        ConvParams p = convParams(ctx, g);
        byte[] filter = ctx.input(1).int8Data();
        int[] bias = ctx.hasInput(2) ? ctx.input(2).int32Data() : null;
        Int8Kernel kernel;
        try {
            kernel = Int8Kernels.depthwiseConv2D(p, filter, 0, bias, 0, implementation(ctx));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw ctx.error("int8 depthwise kernel: " + e.getMessage());
        }
        return bind(ctx, kernel);
    }

    static PreparedOp fullyConnected(OpContext ctx) throws ModelFormatException {
        TensorInfo x = ctx.input(0);
        TensorInfo w = ctx.input(1);
        TensorInfo y = ctx.output();
        checkPerTensor(ctx, x, "input");
        checkPerTensor(ctx, y, "output");
        int outputs = w.dim(0);
        int[][] requant = perChannelMultipliers(ctx, x, w, y, outputs, 0);
        checkBias(ctx);
        ActivationRange range = activationRange(ctx, FullyConnectedOp.activation(ctx), y);
        Int8Kernel kernel;
        try {
            FullyConnectedParams p = FullyConnectedParams.perChannel(1, w.dim(1), outputs, -x.zeroPoint(), 0,
                    y.zeroPoint(), range.min(), range.max(), requant[0], requant[1]);
            int[] bias = ctx.hasInput(2) ? ctx.input(2).int32Data() : null;
            kernel = Int8Kernels.fullyConnected(p, w.int8Data(), 0, bias, 0, implementation(ctx));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw ctx.error("int8 fully connected kernel: " + e.getMessage());
        }
        return bind(ctx, kernel);
    }

    static PreparedOp pool(OpContext ctx, ConvGeometry g, boolean max, boolean countIncludePad) throws ModelFormatException {
        TensorInfo x = ctx.input(0);
        TensorInfo y = ctx.output();
        checkPerTensor(ctx, x, "input");
        checkPerTensor(ctx, y, "output");
        if (x.scale() != y.scale() || x.zeroPoint() != y.zeroPoint()) {
            throw ctx.error("int8 pooling does not requantize: output " + y.describe() + " (scale " + y.scale()
                    + ", zero point " + y.zeroPoint() + ") must have the quantization of input " + x.describe()
                    + " (scale " + x.scale() + ", zero point " + x.zeroPoint() + ")");
        }
        if (!max && countIncludePad && x.zeroPoint() != 0 && (g.padTop + g.padBottom + g.padLeft + g.padRight) > 0) {
            // The kernel counts padded positions in the divisor but adds nothing for them, which is
            // real 0 only when the zero point is 0; the quantizer runs such a pool in float.
            throw ctx.error("int8 average pool with count_include_pad and padding needs input zero point 0, got "
                    + x.zeroPoint());
        }
        FusedActivation activation = ctx.op().hasPool() ? ctx.op().getPool().getActivation()
                : FusedActivation.getDefaultInstance();
        ActivationRange range = activationRange(ctx, activation, y);
        Int8Kernel kernel;
        try {
            PoolParams p = PoolParams.builder()
                    .input(1, g.inputH, g.inputW, g.inputC)
                    .output(g.outputH, g.outputW)
                    .filter(g.kernelH, g.kernelW)
                    .stride(g.strideH, g.strideW)
                    .padding(g.padTop, g.padLeft, g.padBottom, g.padRight)
                    .activation(range.min(), range.max())
                    .countIncludePad(countIncludePad)
                    .build();
            Int8Kernels.Implementation impl = implementation(ctx);
            kernel = max ? Int8Kernels.maxPool2D(p, impl) : Int8Kernels.averagePool2D(p, impl);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw ctx.error("int8 pool kernel: " + e.getMessage());
        }
        return bind(ctx, kernel);
    }

    static PreparedOp add(OpContext ctx) throws ModelFormatException {
        TensorInfo a = ctx.input(0);
        TensorInfo b = ctx.input(1);
        TensorInfo y = ctx.output();
        if (b.elementCount() != a.elementCount()) {
            throw ctx.error("int8 ADD of a broadcast constant " + b.describe()
                    + " has no int8 kernel (the quantizer runs it in float)");
        }
        checkPerTensor(ctx, a, "input 0");
        checkPerTensor(ctx, b, "input 1");
        checkPerTensor(ctx, y, "output");
        ActivationRange range = activationRange(ctx, ctx.op().getAdd().getActivation(), y);
        AddParams p;
        try {
            p = AddParams.fromScales(a.scale(), a.zeroPoint(), b.scale(), b.zeroPoint(), y.scale(), y.zeroPoint(),
                    range.min(), range.max());
        } catch (IllegalArgumentException e) {
            throw ctx.error("int8 add: " + e.getMessage());
        }
        TensorStorage s = ctx.storage();
        int n = a.elementCount();
        byte[] in1 = s.bytes(ctx.inputIndex(0));
        int in1Off = s.offset(ctx.inputIndex(0));
        byte[] in2 = s.bytes(ctx.inputIndex(1));
        int in2Off = s.offset(ctx.inputIndex(1));
        byte[] out = s.bytes(ctx.outputIndex());
        int outOff = s.offset(ctx.outputIndex());
        if (implementation(ctx) == Int8Kernels.Implementation.REFERENCE) {
            return () -> AddReference.eval(p, in1, in1Off, in2, in2Off, out, outOff, n);
        }
        AddFast fast = AddFast.prepare(p);
        return () -> fast.eval(in1, in1Off, in2, in2Off, out, outOff, n);
    }

    private static ConvParams convParams(OpContext ctx, ConvGeometry g) throws ModelFormatException {
        TensorInfo x = ctx.input(0);
        TensorInfo w = ctx.input(1);
        TensorInfo y = ctx.output();
        checkPerTensor(ctx, x, "input");
        checkPerTensor(ctx, y, "output");
        boolean depthwise = ctx.op().getType() == dev.edgeq.format.OpType.DEPTHWISE_CONV_2D;
        int channelAxis = depthwise ? 3 : 0;
        int outputs = g.outputC;
        int[][] requant = perChannelMultipliers(ctx, x, w, y, outputs, channelAxis);
        checkBias(ctx);
        ActivationRange range = activationRange(ctx, ctx.op().getConv().getActivation(), y);
        try {
            return ConvParams.builder()
                    .input(1, g.inputH, g.inputW, g.inputC)
                    .output(g.outputH, g.outputW, g.outputC)
                    .filter(g.kernelH, g.kernelW)
                    .stride(g.strideH, g.strideW)
                    .dilation(g.dilationH, g.dilationW)
                    .padding(g.padTop, g.padLeft, g.padBottom, g.padRight)
                    .depthMultiplier(g.depthMultiplier)
                    .offsets(-x.zeroPoint(), y.zeroPoint())
                    .activation(range.min(), range.max())
                    .perChannel(requant[0], requant[1])
                    .build();
        } catch (IllegalArgumentException e) {
            throw ctx.error("int8 conv parameters: " + e.getMessage());
        }
    }

    /**
     * {multipliers[], shifts[]} for each output channel. Weights must be symmetric (zero point 0)
     * and quantized per tensor or per channel along {@code channelAxis}.
     */
    private static int[][] perChannelMultipliers(OpContext ctx, TensorInfo x, TensorInfo w, TensorInfo y, int outputs,
            int channelAxis) throws ModelFormatException {
        float[] ws = w.scales();
        if (ws.length != 1 && (ws.length != outputs || w.quantizedDimension() != channelAxis)) {
            throw ctx.error("weights " + w.describe() + " need 1 scale or " + outputs + " scales along dimension "
                    + channelAxis + ", got " + ws.length + " along dimension " + w.quantizedDimension());
        }
        for (int z : w.zeroPoints()) {
            if (z != 0) {
                throw ctx.error("weights " + w.describe() + " must be symmetric (zero point 0), found zero point " + z);
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
                throw ctx.error("output channel " + c + ": requantization multiplier " + real + " is out of range ("
                        + e.getMessage() + ")");
            }
            multipliers[c] = m.multiplier();
            shifts[c] = m.shift();
        }
        return new int[][] {multipliers, shifts};
    }

    /** The bias must be int32 with zero point 0 (its scale, inputScale * weightScale[c], is implied). */
    private static void checkBias(OpContext ctx) throws ModelFormatException {
        if (!ctx.hasInput(2)) {
            return;
        }
        TensorInfo b = ctx.input(2);
        for (int z : b.zeroPoints()) {
            if (z != 0) {
                throw ctx.error("bias " + b.describe() + " must have zero point 0, found " + z);
            }
        }
    }

    private static void checkPerTensor(OpContext ctx, TensorInfo t, String role) throws ModelFormatException {
        if (t.isPerChannel()) {
            throw ctx.error(role + " " + t.describe() + " must be quantized per tensor, has " + t.scales().length + " scales");
        }
    }

    /** The int8 clamp of a fused activation at the output's scale and zero point. */
    static ActivationRange activationRange(OpContext ctx, FusedActivation a, TensorInfo y) throws ModelFormatException {
        try {
            switch (a.getType()) {
                case ACTIVATION_RELU: return ActivationRange.relu(y.scale(), y.zeroPoint());
                case ACTIVATION_RELU6: return ActivationRange.relu6(y.scale(), y.zeroPoint());
                case ACTIVATION_CLIP: return ActivationRange.clip(a.getMin(), a.getMax(), y.scale(), y.zeroPoint());
                default: return ActivationRange.none();
            }
        } catch (IllegalArgumentException e) {
            throw ctx.error("fused activation " + a.getType() + " on output " + y.describe() + ": " + e.getMessage());
        }
    }

    /** Binds a single-input kernel to the op's tensors, with its own scratch (allocated here, once). */
    private static PreparedOp bind(OpContext ctx, Int8Kernel kernel) {
        TensorStorage s = ctx.storage();
        byte[] in = s.bytes(ctx.inputIndex(0));
        int inOff = s.offset(ctx.inputIndex(0));
        byte[] out = s.bytes(ctx.outputIndex());
        int outOff = s.offset(ctx.outputIndex());
        int[] shared = ctx.scratchInts();
        int[] scratch = shared != null && shared.length >= kernel.scratchInts() ? shared : new int[kernel.scratchInts()];
        return () -> kernel.eval(in, inOff, out, outOff, scratch, 0);
    }
}
