package dev.edgeq.runtime.kernels.int8;

/**
 * Fast scalar int8 depthwise convolution, bit-exact with {@link DepthwiseConv2DReference}.
 *
 * <p>Prepare widens the 1HWO filter to {@code int[filterHeight * filterWidth][outputChannels]}.
 * Eval first widens one batch of the input to ints with the input offset applied (so the hot loop
 * is int-only), then for each output pixel accumulates {@code acc[oc] += x[oc] * w[k][oc]} over the
 * filter positions that fall inside the input, channels innermost: with depth multiplier 1 that is
 * a contiguous int loop C2 vectorizes. Positions in the padding are skipped (they contribute nothing).
 *
 * <p>Scratch: {@code inputHeight * inputWidth * inputChannels + outputChannels} ints.
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
     * @throws IllegalArgumentException if {@code outputChannels != inputChannels * depthMultiplier}
     */
    public static DepthwiseConv2DFast prepare(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        checkDepthwise(p);
        Checks.array("depthwise filter", filter, filterStart, p.depthwiseFilterSize());
        int[] w = new int[p.depthwiseFilterSize()];
        for (int i = 0; i < w.length; i++) {
            w[i] = filter[filterStart + i];
        }
        return new DepthwiseConv2DFast(p, w, Conv2DFast.copyBias(p.outputChannels, bias, biasStart));
    }

    static void checkDepthwise(ConvParams p) {
        if ((long) p.inputChannels * p.depthMultiplier != p.outputChannels) {
            throw new IllegalArgumentException("depthwise conv: outputChannels " + p.outputChannels + " != inputChannels "
                    + p.inputChannels + " * depthMultiplier " + p.depthMultiplier);
        }
    }

    /** Scratch ints needed by {@link #eval} for these parameters. */
    public static int scratchSize(ConvParams p) {
        return p.inputHeight * p.inputWidth * p.inputChannels + p.outputChannels;
    }

    @Override
    public int scratchInts() {
        return scratchSize(p);
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart) {
        final ConvParams p = this.p;
        final int inC = p.inputChannels;
        final int outC = p.outputChannels;
        final int mult = p.depthMultiplier;
        final int batchInput = p.inputHeight * p.inputWidth * inC;
        final int x0 = scratchStart;             // widened input of the current batch
        final int acc = scratchStart + batchInput; // accumulators of the current pixel
        final int offset = p.inputOffset;
        final int[] w = weights;
        int out = outputStart;
        for (int b = 0; b < p.batches; b++) {
            int src = inputStart + b * batchInput;
            for (int i = 0; i < batchInput; i++) {
                scratch[x0 + i] = input[src + i] + offset;
            }
            for (int oy = 0; oy < p.outputHeight; oy++) {
                int inY0 = oy * p.strideHeight - p.padTop;
                for (int ox = 0; ox < p.outputWidth; ox++) {
                    int inX0 = ox * p.strideWidth - p.padLeft;
                    System.arraycopy(bias, 0, scratch, acc, outC);
                    for (int ky = 0; ky < p.filterHeight; ky++) {
                        int iy = inY0 + ky * p.dilationHeight;
                        if (iy < 0 || iy >= p.inputHeight) {
                            continue;
                        }
                        for (int kx = 0; kx < p.filterWidth; kx++) {
                            int ix = inX0 + kx * p.dilationWidth;
                            if (ix < 0 || ix >= p.inputWidth) {
                                continue;
                            }
                            int xs = x0 + (iy * p.inputWidth + ix) * inC;
                            int ws = (ky * p.filterWidth + kx) * outC;
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
