package dev.edgeq.converter.quantize;

import com.google.protobuf.ByteString;
import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.ops.EdgeqOpSpec;
import dev.edgeq.converter.ops.Int8Facts;
import dev.edgeq.converter.ops.Int8Rule;
import dev.edgeq.converter.ops.OpSpecs;
import dev.edgeq.format.DataType;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.format.Quantization;
import dev.edgeq.format.Tensor;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.quant.QuantizedMultiplier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The graph transform FLOAT model -> INT8 model (same operators, same order, same names), given a
 * real range per activation tensor:
 * <ul>
 *   <li>each operator is treated as its spec's {@link Int8Rule} says (an operator whose spec states
 *       none is an error, never a guess);</li>
 *   <li>activations: int8 per tensor, asymmetric ({@link QuantParams#fromRange}), or an input's
 *       parameters for operators that do not requantize, or a fixed scale; tensors whose operator
 *       shares one range (concatenation) get the union of their ranges ({@link SharedRanges});</li>
 *   <li>weights of affine operators: int8 per output channel, symmetric in [-127, 127] along the
 *       rule's axis; bias int32 at {@code inputScale * weightScale[c]};</li>
 *   <li>operators that run in float keep their float form: a DEQUANTIZE is inserted before the
 *       first one of such a "float island" and a QUANTIZE after it where an int8 operator reads its
 *       result. Their tensors stay FLOAT32, which is how {@code inspect} recognises an island.</li>
 * </ul>
 * Tensors only used by the float model (the float weights) are dropped.
 */
final class GraphQuantizer implements Int8Facts {
    /** Suffixes of the tensors that conversion operators add. */
    static final String QUANTIZED_SUFFIX = "/int8";
    static final String DEQUANTIZED_SUFFIX = "/float";

    private final ModelFile source;
    private final Model model;
    private final double[][] ranges;
    private final QuantParams inputParams;
    private final boolean floatOutputLayer;

    private final List<Tensor> tensors = new ArrayList<>();
    /** For each new tensor: the float model's tensor it holds (-1 for none). */
    private final List<Integer> origins = new ArrayList<>();
    private final List<Operator> operators = new ArrayList<>();
    private final int[] int8Version;
    private final int[] floatVersion;
    private final QuantParams[] int8Params;
    /** Per float tensor: the tensor whose calibrated range gave its int8 parameters (-1: fixed ones). */
    private final int[] rangeOwner;
    private final SharedRanges shared;

    private GraphQuantizer(ModelFile source, Model model, double[][] ranges, QuantParams inputParams,
            boolean floatOutputLayer) {
        this.source = source;
        this.model = model;
        this.ranges = ranges;
        this.inputParams = inputParams;
        this.floatOutputLayer = floatOutputLayer;
        int n = model.tensors().size();
        int8Version = new int[n];
        floatVersion = new int[n];
        Arrays.fill(int8Version, -1);
        Arrays.fill(floatVersion, -1);
        int8Params = new QuantParams[n];
        rangeOwner = new int[n];
        Arrays.fill(rangeOwner, -1);
        shared = new SharedRanges(n);
    }

    /** The int8 model and, per new tensor index, the float model's tensor index it corresponds to. */
    record Result(ModelFile model, int[] origins) {}

    /**
     * Quantizes with {@code ranges}; where operators share one range ({@link Int8Rule#sharesOneRange}),
     * a first pass finds which calibrated ranges give their tensors' parameters and the second
     * quantizes with those tensors' {@code observed} ranges joined ({@link SharedRanges}).
     *
     * @param ranges per float tensor, the range chosen by the calibration method
     * @param observed per float tensor, the whole range calibration saw (including 0)
     */
    static Result quantize(ModelFile source, Model model, double[][] ranges, double[][] observed, QuantParams inputParams,
            boolean floatOutputLayer) throws ConversionException {
        GraphQuantizer first = new GraphQuantizer(source, model, ranges, inputParams, floatOutputLayer);
        Result result = first.run();
        double[][] joined = first.shared.apply(ranges, observed);
        return joined == ranges ? result
                : new GraphQuantizer(source, model, joined, inputParams, floatOutputLayer).run();
    }

    private Result run() throws ConversionException {
        int input = model.input().index();
        int8Params[input] = inputParams;
        int8Version[input] = addActivation(input, DataType.INT8, inputParams, "");
        for (int i = 0; i < model.operatorCount(); i++) {
            Operator op = model.operator(i);
            Int8Rule rule = rule(i, op);
            if (rule.runsInt8() && !(floatOutputLayer && computesTheOutput(i))) {
                emitInt8(op, rule);
            } else {
                emitFloat(op);
            }
        }
        int output = model.output().index();
        int out = producedInt8(output) ? int8Version[output] : floatVersion[output];
        ModelFile.Builder file = source.toBuilder().clearTensors().clearOperators().clearInputs().clearOutputs()
                .addAllTensors(tensors).addAllOperators(operators)
                .addInputs(int8Version[input]).addOutputs(out);
        int[] origin = origins.stream().mapToInt(Integer::intValue).toArray();
        return new Result(file.build(), origin);
    }

    /**
     * Whether operator {@code i} computes the model's logits: it writes the output, or the output
     * comes from it through a final SOFTMAX or RESHAPE. (For the float output layer option.)
     */
    private boolean computesTheOutput(int i) {
        int t = model.operator(i).getOutputs(0);
        for (int k = i + 1; k < model.operatorCount(); k++) {
            Operator next = model.operator(k);
            if (next.getInputs(0) == t && (next.getType() == OpType.SOFTMAX || next.getType() == OpType.RESHAPE)) {
                t = next.getOutputs(0);
            }
        }
        OpType type = model.operator(i).getType();
        return t == model.output().index() && type != OpType.SOFTMAX && type != OpType.RESHAPE;
    }

    @Override
    public boolean producedInt8(int tensor) {
        // the produced version carries the original name; a conversion carries a suffix
        return int8Version[tensor] >= 0 && tensors.get(int8Version[tensor]).getName().equals(model.tensor(tensor).name());
    }

    @Override
    public boolean isGate(int tensor) {
        QuantParams p = int8Params[tensor];
        return producedInt8(tensor) && rangeOwner[tensor] < 0 && tensor != model.input().index()
                && p.scale() * (-128.0 - p.zeroPoint()) >= 0 && p.scale() * (127.0 - p.zeroPoint()) <= 1;
    }

    /** The operator's int8 rule, stated by its spec; an operator without one cannot be quantized. */
    private Int8Rule rule(int index, Operator op) throws ConversionException {
        EdgeqOpSpec spec = OpSpecs.edgeq(op.getType());
        if (spec == null) {
            throw new ConversionException("cannot quantize " + model.opName(index)
                    + ": the converter states no int8 rule for " + op.getType() + " (add one to its EdgeqOpSpec)");
        }
        return spec.int8Rule(op, this);
    }

    @Override
    public Model floatModel() {
        return model;
    }

    /** Emits the operator in int8 as its rule says: activations int8, weights and bias per the rule, outputs quantized. */
    private void emitInt8(Operator op, Int8Rule rule) {
        Operator.Builder b = op.toBuilder().clearInputs().clearOutputs();
        float[] weightScales = null;
        for (int k = 0; k < op.getInputsCount(); k++) {
            int t = op.getInputs(k);
            if (t < 0) {
                b.addInputs(-1);
            } else if (!model.tensor(t).isConstant()) {
                b.addInputs(int8Of(t));
            } else if (rule.kind() == Int8Rule.Kind.AFFINE && k == 1) {
                TensorInfo w = model.tensor(t);
                weightScales = new float[w.dim(rule.weightAxis())];
                b.addInputs(addWeights(w, rule.weightAxis(), weightScales));
            } else if (rule.kind() == Int8Rule.Kind.AFFINE && k == 2) {
                b.addInputs(addBias(model.tensor(t), int8Params[op.getInputs(0)].scale(), weightScales));
            } else {
                b.addInputs(addConstantCopy(t));
            }
        }
        QuantParams kept = rule.kind() == Int8Rule.Kind.KEEP_INPUT ? int8Params[op.getInputs(rule.keptInput())] : null;
        for (int out : op.getOutputsList()) {
            QuantParams outParams = switch (rule.kind()) {
                case KEEP_INPUT -> kept; // set by int8Of above
                case FIXED -> new QuantParams(rule.scale(), rule.zeroPoint());
                default -> paramsFromRange(out);
            };
            rangeOwner[out] = switch (rule.kind()) {
                case KEEP_INPUT -> rangeOwner[op.getInputs(rule.keptInput())];
                case FIXED -> -1;
                default -> out;
            };
            if (rule.kind() == Int8Rule.Kind.SHARED_RANGE) {
                for (int t : op.getInputsList()) {
                    if (t >= 0 && rangeOwner[t] >= 0) {
                        shared.join(rangeOwner[t], out);
                    }
                }
            }
            int8Params[out] = outParams;
            int8Version[out] = addActivation(out, DataType.INT8, outParams, "");
            b.addOutputs(int8Version[out]);
        }
        operators.add(b.build());
    }

    private void emitFloat(Operator op) {
        Operator.Builder b = op.toBuilder().clearInputs().clearOutputs();
        for (int t : op.getInputsList()) {
            if (t < 0) {
                b.addInputs(-1);
            } else if (model.tensor(t).isConstant()) {
                b.addInputs(addConstantCopy(t));
            } else {
                b.addInputs(floatOf(t));
            }
        }
        for (int out : op.getOutputsList()) {
            floatVersion[out] = addActivation(out, DataType.FLOAT32, null, "");
            b.addOutputs(floatVersion[out]);
        }
        operators.add(b.build());
    }

    /** The int8 form of an activation, adding a QUANTIZE when it was produced in float. */
    private int int8Of(int t) {
        if (int8Version[t] < 0) {
            QuantParams p = paramsFromRange(t);
            int8Params[t] = p;
            int8Version[t] = addActivation(t, DataType.INT8, p, QUANTIZED_SUFFIX);
            rangeOwner[t] = t;
            operators.add(Operator.newBuilder().setName(model.tensor(t).name() + "/quantize").setType(OpType.QUANTIZE)
                    .addInputs(floatVersion[t]).addOutputs(int8Version[t]).build());
        }
        return int8Version[t];
    }

    /** The float form of an activation, adding a DEQUANTIZE when it was produced in int8. */
    private int floatOf(int t) {
        if (floatVersion[t] < 0) {
            floatVersion[t] = addActivation(t, DataType.FLOAT32, null, DEQUANTIZED_SUFFIX);
            operators.add(Operator.newBuilder().setName(model.tensor(t).name() + "/dequantize").setType(OpType.DEQUANTIZE)
                    .addInputs(int8Version[t]).addOutputs(floatVersion[t]).build());
        }
        return floatVersion[t];
    }

    private QuantParams paramsFromRange(int t) {
        double[] r = ranges[t];
        return QuantParams.fromRange(r[0], r[1]);
    }

    private int addActivation(int original, DataType type, QuantParams q, String suffix) {
        TensorInfo t = model.tensor(original);
        Tensor.Builder b = Tensor.newBuilder().setName(t.name() + suffix).setType(type);
        for (int d : t.shape()) {
            b.addShape(d);
        }
        if (q != null) {
            b.setQuantization(Quantization.newBuilder().addScale(q.scale()).addZeroPoint(q.zeroPoint()));
        }
        return add(b.build(), original);
    }

    private int addConstantCopy(int original) {
        return add(source.getTensors(original), original);
    }

    private int add(Tensor t, int origin) {
        tensors.add(t);
        origins.add(origin);
        return tensors.size() - 1;
    }

    /**
     * Symmetric per-channel int8 weights along {@code axis}: {@code scale[c] = max|w_c| / 127},
     * {@code q = round(w / scale[c])} in [-127, 127]. An all-zero channel gets scale 1 (its weights
     * are 0 whatever the scale; 1 keeps its bias representable).
     */
    private int addWeights(TensorInfo w, int axis, float[] scales) {
        float[] values = w.floatData();
        int[] shape = w.shape();
        int stride = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            stride *= shape[d];
        }
        int channels = shape[axis];
        float[] maxAbs = new float[channels];
        for (int i = 0; i < values.length; i++) {
            int c = (i / stride) % channels;
            maxAbs[c] = Math.max(maxAbs[c], Math.abs(values[i]));
        }
        for (int c = 0; c < channels; c++) {
            scales[c] = maxAbs[c] > 0f ? maxAbs[c] / 127f : 1f;
        }
        byte[] q = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            int c = (i / stride) % channels;
            long v = QuantizedMultiplier.roundHalfAwayFromZero((double) values[i] / scales[c]);
            q[i] = (byte) Math.max(-127, Math.min(127, v));
        }
        Quantization.Builder quant = Quantization.newBuilder().setQuantizedDimension(axis);
        for (float s : scales) {
            quant.addScale(s).addZeroPoint(0);
        }
        Tensor.Builder t = source.getTensors(w.index()).toBuilder().setType(DataType.INT8)
                .setData(ByteString.copyFrom(q)).setQuantization(quant);
        return add(t.build(), w.index());
    }

    /** int32 bias {@code round(b[c] / (inputScale * weightScale[c]))}, saturated to int32. */
    private int addBias(TensorInfo bias, float inputScale, float[] weightScales) {
        float[] values = bias.floatData();
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        Quantization.Builder quant = Quantization.newBuilder();
        for (int c = 0; c < values.length; c++) {
            double scale = (double) inputScale * weightScales[c];
            long q = QuantizedMultiplier.roundHalfAwayFromZero(values[c] / scale);
            data.putInt((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, q)));
            quant.addScale((float) scale).addZeroPoint(0);
        }
        Tensor.Builder t = source.getTensors(bias.index()).toBuilder().setType(DataType.INT32)
                .setData(ByteString.copyFrom(data.array())).setQuantization(quant);
        return add(t.build(), bias.index());
    }
}
