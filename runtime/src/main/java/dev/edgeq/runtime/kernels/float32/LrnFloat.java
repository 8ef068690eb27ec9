package dev.edgeq.runtime.kernels.float32;

/**
 * Local response normalization across channels (ONNX LRN, as in AlexNet):
 * out[c] = x[c] / (bias + alpha / size * sum_{c' in window} x[c']^2)^beta, where the window spans
 * channels [c - floor((size-1)/2), c + ceil((size-1)/2)] clipped to the valid range.
 */
public final class LrnFloat {
    private LrnFloat() {}

    public static void lrn(int pixels, int channels, int size, float alpha, float beta, float bias,
                           float[] input, int inOff, float[] output, int outOff) {
        int before = (size - 1) / 2;
        int after = size - 1 - before;
        double scale = (double) alpha / size;
        for (int p = 0; p < pixels; p++) {
            int base = p * channels;
            for (int c = 0; c < channels; c++) {
                int from = Math.max(0, c - before);
                int to = Math.min(channels - 1, c + after);
                double sumSq = 0;
                for (int k = from; k <= to; k++) {
                    double v = input[inOff + base + k];
                    sumSq += v * v;
                }
                double denominator = StrictMath.pow(bias + scale * sumSq, beta);
                output[outOff + base + c] = (float) (input[inOff + base + c] / denominator);
            }
        }
    }
}
