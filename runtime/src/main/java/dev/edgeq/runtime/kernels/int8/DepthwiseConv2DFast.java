package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;
import dev.edgeq.runtime.kernels.ConvGeometry;

/**
 * Fast scalar int8 depthwise convolution, bit-exact with {@link DepthwiseConv2DReference}.
 *
 * <p>Prepare widens the 1HWO filter to {@code int[kernelH * kernelW][outputC]}.
 * Eval first widens one batch of the input to ints with the input offset applied (so the hot loop
 * is int-only), then for each output pixel accumulates {@code acc[oc] += x[oc] * w[k][oc]} over the
 * filter positions that fall inside the input, channels innermost: with depth multiplier 1 that is
 * a contiguous int loop C2 vectorizes. Positions in the padding are skipped (they contribute nothing).
 *
 * <p>Scratch: {@code inputH * inputW * inputC + outputC} ints.
 */
public final class DepthwiseConv2DFast implements Int8Kernel {
    private final ConvParams p;
    private final int[] weights;
    private final int[] bias;

    private DepthwiseConv2DFast(ConvParams p, int[] weights, int[] bias) {
        this.p = p;
        this.weights = weights;
        this.bias = bias;
    }

    /**
     * @param filter 1HWO int8 filter from {@code filterStart} (copied)
     * @param bias int32 per output channel (copied), or null
     * @throws IllegalArgumentException if {@code outputC != inputC * depthMultiplier}
     */
    public static DepthwiseConv2DFast prepare(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        ConvGeometry g = p.geometry;
        checkDepthwise(p);
        Checks.array("depthwise filter", filter, filterStart, g.depthwiseFilterSize());
        int[] w = new int[g.depthwiseFilterSize()];
        for (int i = 0; i < w.length; i++) {
            w[i] = filter[filterStart + i];
        }
        return new DepthwiseConv2DFast(p, w, Conv2DFast.copyBias(g.outputC, bias, biasStart));
    }

    static void checkDepthwise(ConvParams p) {
        ConvGeometry g = p.geometry;
        if ((long) g.inputC * g.depthMultiplier != g.outputC) {
            throw new IllegalArgumentException("depthwise conv: outputChannels " + g.outputC + " != inputChannels "
                    + g.inputC + " * depthMultiplier " + g.depthMultiplier);
        }
    }

    /** Scratch ints needed by {@link #eval} for these parameters. */
    public static int scratchSize(ConvParams p) {
        ConvGeometry g = p.geometry;
        return g.inputH * g.inputW * g.inputC + g.outputC;
    }

    @Override
    public int scratchInts() {
        return scratchSize(p);
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart,
                     float[] floatScratch, int floatScratchStart) {
        final ConvParams p = this.p;
        final ConvGeometry g = p.geometry;
        final int inC = g.inputC;
        final int outC = g.outputC;
        final int mult = g.depthMultiplier;
        final int batchInput = g.inputH * g.inputW * inC;
        final int x0 = scratchStart;             // widened input of the current batch
        final int acc = scratchStart + batchInput; // accumulators of the current pixel
        final int offset = p.inputOffset;
        final int[] w = weights;
        int out = outputStart;
        for (int b = 0; b < g.batches; b++) {
            int src = inputStart + b * batchInput;
            for (int i = 0; i < batchInput; i++) {
                scratch[x0 + i] = input[src + i] + offset;
            }
            for (int oy = 0; oy < g.outputH; oy++) {
                int inY0 = oy * g.strideH - g.padTop;
                for (int ox = 0; ox < g.outputW; ox++) {
                    int inX0 = ox * g.strideW - g.padLeft;
                    System.arraycopy(bias, 0, scratch, acc, outC);
                    for (int ky = 0; ky < g.kernelH; ky++) {
                        int iy = inY0 + ky * g.dilationH;
                        if (iy < 0 || iy >= g.inputH) {
                            continue;
                        }
                        for (int kx = 0; kx < g.kernelW; kx++) {
                            int ix = inX0 + kx * g.dilationW;
                            if (ix < 0 || ix >= g.inputW) {
                                continue;
                            }
                            int xs = x0 + (iy * g.inputW + ix) * inC;
                            int ws = (ky * g.kernelW + kx) * outC;
                            if (mult == 1) {
                                for (int c = 0; c < outC; c++) {
                                    scratch[acc + c] += scratch[xs + c] * w[ws + c];
                                }
                            } else {
                                for (int ic = 0; ic < inC; ic++) {
                                    int xv = scratch[xs + ic];
                                    int base = ic * mult;
                                    for (int m = 0; m < mult; m++) {
                                        scratch[acc + base + m] += xv * w[ws + base + m];
                                    }
                                }
                            }
                        }
                    }
                    for (int oc = 0; oc < outC; oc++) {
                        output[out++] = Requant.toInt8(scratch[acc + oc], p.multipliers[oc], p.shifts[oc],
                                p.outputOffset, p.activationMin, p.activationMax);
                    }
                }
            }
        }
    }
}
