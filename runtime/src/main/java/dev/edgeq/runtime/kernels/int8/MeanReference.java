package dev.edgeq.runtime.kernels.int8;

/** Reference int8 Mean over height and width ({@link MeanParams}); plain loops, the oracle. */
public final class MeanReference {
    private MeanReference() {
    }

    public static void eval(MeanParams p, byte[] input, int inputStart, byte[] output, int outputStart) {
        for (int c = 0; c < p.channels; c++) {
            int sum = 0;
            for (int y = 0; y < p.height; y++) {
                for (int x = 0; x < p.width; x++) {
                    sum += input[inputStart + (y * p.width + x) * p.channels + c] - p.inputZeroPoint;
                }
            }
            output[outputStart + c] = (byte) p.finish(sum);
        }
    }
}
