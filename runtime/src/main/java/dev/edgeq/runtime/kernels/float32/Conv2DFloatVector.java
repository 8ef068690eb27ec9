package dev.edgeq.runtime.kernels.float32;

import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.int8.FmaConv;
import dev.edgeq.runtime.kernels.int8.FmaTiles;

/**
 * Vector API float 2-D convolution (grouped or not, any stride, dilation and padding) on the shared
 * {@link FmaTiles} micro-kernel: the input copied into a zero-bordered padded image, weights
 * repacked at prepare to {@code [tap][paddedChannels]} per group, each output value the bias plus
 * its taps in (ky, kx, ic) order by fused multiply-adds, then the fused activation's clamp. Close to
 * {@link Conv2DFloat} within the bound stated in {@link FloatKernels}. Loaded only through the
 * {@code VectorSupport} factory.
 *
 * <p>Scratch: the padded image ({@link FmaConv#imageInts()}) and {@code 4 * padded(O / groups)}
 * ints of tile results.
 */
public final class Conv2DFloatVector implements FloatKernel {
    private static final int P = FmaTiles.PIXELS;

    private final ConvGeometry g;
    private final FmaConv conv;
    private final int groupOutputs;
    private final int groupPadded;
    private final float[][] weights;
    /** Per group: its bias, padded to whole vectors (zeros without bias). */
    private final float[][] bias;
    private final float actMin;
    private final float actMax;

    private Conv2DFloatVector(ConvGeometry g, FmaConv conv, float[][] weights, float[][] bias, float actMin, float actMax) {
        this.g = g;
        this.conv = conv;
        this.groupOutputs = g.outputC / g.groups;
        this.groupPadded = FmaTiles.padded(groupOutputs);
        this.weights = weights;
        this.bias = bias;
        this.actMin = actMin;
        this.actMax = actMax;
    }

    /** Weights OHWI and bias [O] (or null) from index 0, repacked here. */
    public static Conv2DFloatVector prepare(ConvGeometry g, float[] weights, float[] bias, float actMin, float actMax) {
        FmaConv conv = new FmaConv(g);
        int groupOutputs = g.outputC / g.groups;
        float[][] w = new float[g.groups][];
        float[][] b = new float[g.groups][];
        for (int k = 0; k < g.groups; k++) {
            w[k] = FmaConv.repack(conv.taps, groupOutputs, k * groupOutputs, i -> weights[i]);
            b[k] = new float[FmaTiles.padded(groupOutputs)];
            if (bias != null) {
                System.arraycopy(bias, k * groupOutputs, b[k], 0, groupOutputs);
            }
        }
        return new Conv2DFloatVector(g, conv, w, b, actMin, actMax);
    }

    @Override
    public int scratchInts() {
        return conv.imageInts() + P * groupPadded;
    }

    @Override
    public void eval(float[] input, int inputStart, float[] output, int outputStart, int[] scratch, int scratchStart) {
        final FmaConv c = conv;
        final int image = scratchStart;
        final int tiles = image + c.imageInts();
        final int row = g.inputW * g.inputC;
        final int outC = g.outputC;
        c.clearBorder(scratch, image);
        for (int y = 0; y < g.inputH; y++) {
            FmaTiles.floatBits(input, inputStart + y * row, scratch, c.rowStart(image, y), row);
        }
        final int pixels = c.outputPixels();
        for (int pix = 0; pix < pixels; pix += P) {
            int n = Math.min(P, pixels - pix);
            for (int k = 0; k < g.groups; k++) {
                c.pixels(scratch, image, pix, n, k, weights[k], groupPadded, bias[k], 0, 0, c.taps, tiles);
                for (int j = 0; j < n; j++) {
                    FmaTiles.clampFloats(scratch, tiles + j * groupPadded, output, outputStart + (pix + j) * outC + k * groupOutputs,
                            groupOutputs, actMin, actMax);
                }
            }
        }
    }
}
