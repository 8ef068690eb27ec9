package dev.edgeq.runtime.kernels.float32;

/**
 * The real-valued activation functions, one home for each: the float kernels apply them per
 * element and the int8 tables ({@code kernels.int8.RealFunctionTable}) are built from them, so float
 * and int8 models agree on what "Sigmoid" means. Transcendentals are computed in double with
 * {@link StrictMath} (bit-identical on x86 and ARM JVMs) and rounded once to float.
 */
public final class Activations {
    private Activations() {}

    /** ONNX HardSigmoid: {@code clamp(alpha * x + beta, 0, 1)}. */
    public static float hardSigmoid(float x, float alpha, float beta) {
        return Math.max(0f, Math.min(1f, alpha * x + beta));
    }

    /** ONNX HardSwish: {@code x * HardSigmoid(x)} with alpha 1/6, beta 0.5 (PyTorch's x * relu6(x + 3) / 6). */
    public static float hardSwish(float x) {
        return x * hardSigmoid(x, 1f / 6f, 0.5f);
    }

    public static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + StrictMath.exp(-x)));
    }

    /** SiLU / Swish: {@code x * sigmoid(x)}, in double so that only the result is rounded. */
    public static float silu(float x) {
        return (float) (x / (1.0 + StrictMath.exp(-x)));
    }

    public static float tanh(float x) {
        return (float) StrictMath.tanh(x);
    }

    /** PRelu / LeakyRelu: {@code x >= 0 ? x : slope * x}. */
    public static float prelu(float x, float slope) {
        return x >= 0f ? x : slope * x;
    }
}
