package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;
import dev.edgeq.runtime.kernels.ConvGeometry;

/**
 * Fast scalar int8 2-D convolution, bit-exact with {@link Conv2DReference}.
 *
 * <p>Prepare widens the OHWI filter to {@code int[outputC][K]} (K = kernelH *
 * kernelW * inputC) and the bias to {@code int[outputC]}. Eval gathers each output
 * pixel's patch into scratch ({@link Im2col}, input offset applied, padding as 0) and computes one
 * int dot product per output channel: a plain int[] reduction that C2 vectorizes. The input offset
 * is applied in the patch rather than folded into the bias because border pixels would otherwise
 * need per-pixel corrections for the padded positions; it costs K adds per pixel against K *
 * outputC MACs.
 *
 * <p>Scratch: {@code K} ints.
 */
public final class Conv2DFast implements Int8Kernel {
    private final ConvParams p;
    private final int depth;
    private final int[] weights;
    private final int[] bias;

    private Conv2DFast(ConvParams p, int[] weights, int[] bias) {
        ConvGeometry g = p.geometry;
        this.p = p;
        this.depth = g.kernelH * g.kernelW * g.inputC;
        this.weights = weights;
        this.bias = bias;
    }

    /**
     * @param filter OHWI int8 filter from {@code filterStart} (copied)
     * @param bias int32 per output channel from {@code biasStart} (copied), or null
     */
    public static Conv2DFast prepare(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        ConvGeometry g = p.geometry;
        Checks.inRange("conv groups (GroupedConv2DFast takes more)", g.groups, 1, 1);
        return new Conv2DFast(p, widenFilter("conv filter", p, filter, filterStart), copyBias(g.outputC, bias, biasStart));
    }

    /** The OHWI conv filter as ints (checked, copied). */
    static int[] widenFilter(String what, ConvParams p, byte[] filter, int filterStart) {
        ConvGeometry g = p.geometry;
        Checks.array(what, filter, filterStart, g.convFilterSize());
        int[] w = new int[g.convFilterSize()];
        for (int i = 0; i < w.length; i++) {
            w[i] = filter[filterStart + i];
        }
        return w;
    }

    static int[] copyBias(int channels, int[] bias, int biasStart) {
        int[] b = new int[channels];
        if (bias != null) {
            Checks.array("bias", bias, biasStart, channels);
            System.arraycopy(bias, biasStart, b, 0, channels);
        }
        return b;
    }

    /** Scratch ints needed by {@link #eval} for these parameters. */
    public static int scratchSize(ConvParams p) {
        ConvGeometry g = p.geometry;
        return g.kernelH * g.kernelW * g.inputC;
    }

    @Override
    public int scratchInts() {
        return depth;
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart,
                     float[] floatScratch, int floatScratchStart) {
        final ConvParams p = this.p;
        final ConvGeometry g = p.geometry;
        final int k = depth;
        final int outC = g.outputC;
        final int[] w = weights;
        int out = outputStart;
        for (int b = 0; b < g.batches; b++) {
            for (int oy = 0; oy < g.outputH; oy++) {
                for (int ox = 0; ox < g.outputW; ox++) {
                    Im2col.fill(p, input, inputStart, b, oy, ox, scratch, scratchStart);
                    for (int oc = 0; oc < outC; oc++) {
                        int acc = dot(scratch, scratchStart, w, oc * k, k);
                        output[out++] = Requant.toInt8(acc + bias[oc], p.multipliers[oc], p.shifts[oc],
                                p.outputOffset, p.activationMin, p.activationMax);
                    }
                }
            }
        }
    }

    static int dot(int[] a, int aStart, int[] b, int bStart, int n) {
        int s = 0;
        for (int i = 0; i < n; i++) {
            s += a[aStart + i] * b[bStart + i];
        }
        return s;
    }
}
