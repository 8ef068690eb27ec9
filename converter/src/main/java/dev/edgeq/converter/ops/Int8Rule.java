package dev.edgeq.converter.ops;

/**
 * How the quantizer treats one operator (TFLite's quantization spec, stated per operator):
 * <ul>
 *   <li>{@link #runsInFloat}: no int8 kernel for this case; the operator stays float inside a
 *       DEQUANTIZE / QUANTIZE island;</li>
 *   <li>{@link #requantizes}: int8; every activation input int8 with its own parameters, every
 *       output quantized from its calibrated range;</li>
 *   <li>{@link #affine}: as {@link #requantizes}, with input 1 (weights) symmetric int8 per output
 *       channel along {@code weightAxis} and input 2 (bias) int32 at {@code inputScale * weightScale[c]};</li>
 *   <li>{@link #keepsInputQuantization}: int8; every output takes input 0's scale and zero point
 *       (pooling, reshape: the kernel moves or compares values and never requantizes), or with
 *       {@link #keepsQuantizationOf} another input's;</li>
 *   <li>{@link #fixedOutput}: int8; outputs at a fixed scale and zero point (e.g. a logistic
 *       output at 1/256, -128 as TFLite);</li>
 *   <li>{@link #sharesOneRange}: as {@link #requantizes}, but the output and every input whose
 *       parameters come from a calibrated range get one range, the union of theirs (TFLite's
 *       concatenation restriction; PyTorch FX shares one observer), so the kernel copies bytes
 *       instead of requantizing them.</li>
 * </ul>
 * Constant inputs other than weights and bias are copied unchanged.
 */
public final class Int8Rule {
    /** The kinds of rule. */
    public enum Kind { FLOAT, REQUANTIZE, AFFINE, KEEP_INPUT, FIXED, SHARED_RANGE }

    private static final Int8Rule REQUANTIZE = new Int8Rule(Kind.REQUANTIZE, "", -1, 0f, 0);
    private static final Int8Rule KEEP_INPUT = new Int8Rule(Kind.KEEP_INPUT, "", 0, 0f, 0);
    private static final Int8Rule SHARED_RANGE = new Int8Rule(Kind.SHARED_RANGE, "", -1, 0f, 0);

    private final Kind kind;
    private final String floatReason;
    /** AFFINE: the weights' output-channel axis; KEEP_INPUT: the input whose quantization is kept. */
    private final int axisOrInput;
    private final float scale;
    private final int zeroPoint;

    private Int8Rule(Kind kind, String floatReason, int axisOrInput, float scale, int zeroPoint) {
        this.kind = kind;
        this.floatReason = floatReason;
        this.axisOrInput = axisOrInput;
        this.scale = scale;
        this.zeroPoint = zeroPoint;
    }

    /** Stays float; {@code reason} says why (for reports and debugging). */
    public static Int8Rule runsInFloat(String reason) {
        return new Int8Rule(Kind.FLOAT, reason, -1, 0f, 0);
    }

    public static Int8Rule requantizes() {
        return REQUANTIZE;
    }

    /** Weights (input 1) per output channel along {@code weightAxis}, bias (input 2) int32. */
    public static Int8Rule affine(int weightAxis) {
        return new Int8Rule(Kind.AFFINE, "", weightAxis, 0f, 0);
    }

    public static Int8Rule keepsInputQuantization() {
        return KEEP_INPUT;
    }

    /** int8; every output takes input {@code input}'s scale and zero point. */
    public static Int8Rule keepsQuantizationOf(int input) {
        return input == 0 ? KEEP_INPUT : new Int8Rule(Kind.KEEP_INPUT, "", input, 0f, 0);
    }

    /**
     * An operator that only moves values (reshape, slice, permutation): int8 keeping its input's
     * quantization when that input is produced in int8, else float like its input.
     */
    public static Int8Rule movesValues(dev.edgeq.format.Operator op, Int8Facts facts) {
        return facts.producedInt8(op.getInputs(0)) ? KEEP_INPUT : runsInFloat("its input is float");
    }

    public static Int8Rule sharesOneRange() {
        return SHARED_RANGE;
    }

    public static Int8Rule fixedOutput(float scale, int zeroPoint) {
        return new Int8Rule(Kind.FIXED, "", -1, scale, zeroPoint);
    }

    public Kind kind() { return kind; }
    public boolean runsInt8() { return kind != Kind.FLOAT; }
    public String floatReason() { return floatReason; }
    /** For {@link Kind#AFFINE}: the weights' output-channel axis. */
    public int weightAxis() { return axisOrInput; }
    /** For {@link Kind#KEEP_INPUT}: the input whose scale and zero point the outputs take. */
    public int keptInput() { return axisOrInput; }
    /** For {@link Kind#FIXED}. */
    public float scale() { return scale; }
    /** For {@link Kind#FIXED}. */
    public int zeroPoint() { return zeroPoint; }

    @Override
    public String toString() {
        return kind == Kind.FLOAT ? "float (" + floatReason + ")" : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
