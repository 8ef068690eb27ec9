package dev.edgeq.runtime.ops;

import dev.edgeq.format.DataType;
import dev.edgeq.format.OpType;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.kernels.float32.Activations;
import dev.edgeq.runtime.kernels.float32.FloatKernels;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which {@link OpRegistration} runs each operator (TFLite Micro's op resolver): the built-in
 * operators by {@link OpType}, and operators of the user's own by the name stored in a {@code CUSTOM}
 * operator's {@code custom_name}. Immutable; {@link #withCustom} returns a new registry.
 *
 * <p>To add a built-in operator: its {@code OpType} value in {@code edgeq_model.proto}, one
 * registration class in this package, and one line in {@link #builtins()} (see
 * {@code package-info.java}).
 */
public final class OpRegistry {
    private static final OpRegistry BUILTINS = new OpRegistry(builtinTable(), Map.of());

    private final Map<OpType, OpRegistration> builtin;
    private final Map<String, OpRegistration> custom;

    private OpRegistry(Map<OpType, OpRegistration> builtin, Map<String, OpRegistration> custom) {
        this.builtin = builtin;
        this.custom = custom;
    }

    private static Map<OpType, OpRegistration> builtinTable() {
        Map<OpType, OpRegistration> t = new EnumMap<>(OpType.class);
        t.put(OpType.CONV_2D, new Conv2DOp());
        t.put(OpType.DEPTHWISE_CONV_2D, new DepthwiseConv2DOp());
        t.put(OpType.FULLY_CONNECTED, new FullyConnectedOp());
        t.put(OpType.MAX_POOL_2D, Pool2DOp.MAX);
        t.put(OpType.AVERAGE_POOL_2D, Pool2DOp.AVERAGE);
        t.put(OpType.GLOBAL_MAX_POOL, GlobalPoolOp.MAX);
        t.put(OpType.GLOBAL_AVERAGE_POOL, GlobalPoolOp.AVERAGE);
        t.put(OpType.ADD, BinaryOp.ADD);
        t.put(OpType.SUB, BinaryOp.SUB);
        t.put(OpType.MUL, BinaryOp.MUL);
        t.put(OpType.RELU, ActivationOp.RELU);
        t.put(OpType.CLIP, ActivationOp.CLIP);
        t.put(OpType.LEAKY_RELU, ActivationOp.LEAKY_RELU);
        t.put(OpType.SIGMOID, TableActivationOp.of(Activations::sigmoid, FloatKernels::sigmoid));
        t.put(OpType.TANH, TableActivationOp.of(Activations::tanh));
        t.put(OpType.SILU, TableActivationOp.of(Activations::silu, FloatKernels::silu));
        t.put(OpType.HARD_SIGMOID, TableActivationOp.HARD_SIGMOID);
        t.put(OpType.HARD_SWISH, TableActivationOp.HARD_SWISH);
        t.put(OpType.PRELU, new PReluOp());
        t.put(OpType.MEAN, new MeanOp());
        t.put(OpType.CONCATENATION, new ConcatenationOp());
        t.put(OpType.PERMUTE_CHANNELS, new PermuteChannelsOp());
        t.put(OpType.SPLIT, ChannelSliceOp.SPLIT);
        t.put(OpType.SLICE, ChannelSliceOp.SLICE);
        t.put(OpType.SOFTMAX, new SoftmaxOp());
        t.put(OpType.RESHAPE, new ReshapeOp());
        t.put(OpType.LRN, new LrnOp());
        t.put(OpType.PAD, new PadOp());
        t.put(OpType.QUANTIZE, QuantizeOp.QUANTIZE);
        t.put(OpType.DEQUANTIZE, QuantizeOp.DEQUANTIZE);
        return Collections.unmodifiableMap(t);
    }

    /** The built-in operators only. */
    public static OpRegistry builtins() {
        return BUILTINS;
    }

    /**
     * A registry that also runs {@code CUSTOM} operators named {@code name} with {@code registration}.
     *
     * @throws IllegalArgumentException when the name is blank or already registered
     */
    public OpRegistry withCustom(String name, OpRegistration registration) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a custom operator needs a non-blank name");
        }
        if (registration == null) {
            throw new IllegalArgumentException("custom operator '" + name + "': registration is null");
        }
        if (custom.containsKey(name)) {
            throw new IllegalArgumentException("custom operator '" + name + "' is registered twice");
        }
        Map<String, OpRegistration> more = new TreeMap<>(custom);
        more.put(name, registration);
        return new OpRegistry(builtin, Collections.unmodifiableMap(more));
    }

    /** True when a registration for this built-in type is present. */
    public boolean supports(OpType type) {
        return builtin.containsKey(type);
    }

    /** The registration that runs the operator, or an error naming the operator and what is known. */
    public OpRegistration resolve(OpInfo op) throws ModelFormatException {
        if (op.type() == OpType.CUSTOM) {
            String name = op.op().getCustomName();
            OpRegistration r = custom.get(name);
            if (r == null) {
                throw op.error("no registration for custom operator '" + name + "'"
                        + (custom.isEmpty() ? " (none registered: add one with Interpreter.Options.builder().register)"
                                : "; registered: " + custom.keySet()));
            }
            return r;
        }
        OpRegistration r = builtin.get(op.type());
        if (r == null) {
            throw op.error("unknown operator type " + op.op().getTypeValue() + " (a model file from a newer edgeq?)");
        }
        return r;
    }

    /**
     * Validates every operator of the model without preparing it (for tools that read a model but
     * never run it, such as export; an Interpreter validates as it prepares).
     */
    public void validate(Model model) throws ModelFormatException {
        for (int i = 0; i < model.operatorCount(); i++) {
            validate(model, i);
        }
    }

    /** Validates operator {@code index} of the model without preparing it. */
    public void validate(Model model, int index) throws ModelFormatException {
        OpInfo op = new OpInfo(model, index);
        OpRegistration r = resolve(op);
        try {
            r.validate(op);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw wrap(op, e);
        }
    }

    /**
     * Validates the operator and prepares it: {@link OpRegistration#prepareInt8} when its first
     * input is INT8, else {@link OpRegistration#prepareFloat}.
     */
    public PreparedOp prepare(OpContext ctx) throws ModelFormatException {
        OpRegistration r = resolve(ctx);
        try {
            r.validate(ctx);
            boolean int8 = ctx.hasInput(0) && ctx.input(0).type() == DataType.INT8;
            return int8 ? r.prepareInt8(ctx) : r.prepareFloat(ctx);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw wrap(ctx, e);
        }
    }

    /** Multiply-accumulates of operator {@code index} in one inference (see {@link OpRegistration#macs}). */
    public long macs(Model model, int index) throws ModelFormatException {
        OpInfo op = new OpInfo(model, index);
        return resolve(op).macs(op);
    }

    /** A kernel's argument check failing during validate or prepare, named after the operator. */
    static ModelFormatException wrap(OpInfo op, RuntimeException e) {
        return new ModelFormatException(op.where() + ": " + e.getMessage(), e);
    }
}
