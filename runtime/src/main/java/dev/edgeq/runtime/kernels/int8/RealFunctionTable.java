package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;
import dev.edgeq.runtime.kernels.float32.Activations;
import dev.edgeq.runtime.kernels.float32.UnaryFloat;
import dev.edgeq.runtime.quant.QuantizedMultiplier;

/**
 * An int8 op defined by a real function, quantized as TFLite's {@code PopulateLookupTable} (its int8
 * Logistic and Tanh): dequantize {@code x} in float, apply the function, multiply by the float
 * reciprocal of the output scale, round half away from zero, add the output zero point, clamp.
 * The float arithmetic runs in prepare when {@link LookupTableFast} builds its table; the reference
 * kernel repeats it per element. The functions are {@link Activations}', shared with the float kernels.
 *
 * <p>Output quantization the converter chooses (TFLite's quantization spec): Sigmoid (1/256, -128),
 * Tanh (1/128, 0); HardSigmoid and SiLU their calibrated range.
 */
public final class RealFunctionTable implements ElementFunction {
    private final UnaryFloat.Function function;
    private final float inputScale;
    private final int inputZeroPoint;
    private final float inverseOutputScale;
    private final int outputZeroPoint;

    private RealFunctionTable(UnaryFloat.Function function, float inputScale, int inputZeroPoint, float outputScale,
                              int outputZeroPoint) {
        Checks.scales("table function (input, output)", inputScale, outputScale);
        Checks.inRange("inputZeroPoint", inputZeroPoint, -128, 127);
        Checks.inRange("outputZeroPoint", outputZeroPoint, -128, 127);
        this.function = function;
        this.inputScale = inputScale;
        this.inputZeroPoint = inputZeroPoint;
        this.inverseOutputScale = 1f / outputScale;
        this.outputZeroPoint = outputZeroPoint;
    }

    /** Any real function (float kernels' {@link UnaryFloat.Function}). */
    public static RealFunctionTable of(UnaryFloat.Function f, float inputScale, int inputZeroPoint, float outputScale,
                                       int outputZeroPoint) {
        return new RealFunctionTable(f, inputScale, inputZeroPoint, outputScale, outputZeroPoint);
    }

    public static RealFunctionTable hardSigmoid(float alpha, float beta, float inputScale, int inputZeroPoint,
                                                float outputScale, int outputZeroPoint) {
        return of(x -> Activations.hardSigmoid(x, alpha, beta), inputScale, inputZeroPoint, outputScale, outputZeroPoint);
    }

    @Override
    public int apply(int x) {
        float real = inputScale * (x - inputZeroPoint);
        // Bounded first so that an infinite value cannot wrap when the zero point is added.
        float rescaled = Math.max(-1e6f, Math.min(1e6f, function.apply(real) * inverseOutputScale));
        long q = QuantizedMultiplier.roundHalfAwayFromZero(rescaled) + outputZeroPoint;
        return (int) Math.max(-128, Math.min(127, q));
    }
}
