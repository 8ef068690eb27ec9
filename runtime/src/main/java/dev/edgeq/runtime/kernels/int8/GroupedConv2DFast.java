package dev.edgeq.runtime.kernels.int8;

/**
 * Fast scalar int8 grouped convolution (groups > 1, e.g. ResNeXt, RegNet), bit-exact with
 * {@link Conv2DReference}. Per output pixel, {@link Im2col} gathers the whole patch (HWI, all input
 * channels, input offset applied, padding 0), which is then regrouped group-major ({@code [group][ky][kx][ic]}),
 * so that each output channel's accumulator is one contiguous dot product of
 * {@code filterHeight * filterWidth * inputChannels / groups} against its OHWI filter row, as in
 * {@link Conv2DFast}. The regrouping costs K moves per pixel against K * outputChannels / groups MACs.
 *
 * <p>Scratch: {@code 2 * filterHeight * filterWidth * inputChannels} ints (patch, regrouped patch).
 */
public final class GroupedConv2DFast implements Int8Kernel {
    private final ConvParams p;
    private final int patchSize;
    private final int groupDepth;
    private final int[] weights;
    private final int[] bias;

    private GroupedConv2DFast(ConvParams p, int[] weights, int[] bias) {
        this.p = p;
        this.patchSize = p.filterHeight * p.filterWidth * p.inputChannels;
        this.groupDepth = p.filterHeight * p.filterWidth * p.groupInputChannels();
        this.weights = weights;
        this.bias = bias;
    }

    /**
     * @param filter OHWI int8 filter with I = input channels per group, from {@code filterStart} (copied)
     * @param bias int32 per output channel from {@code biasStart} (copied), or null
     */
    public static GroupedConv2DFast prepare(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        return new GroupedConv2DFast(p, Conv2DFast.widenFilter("grouped conv filter", p, filter, filterStart),
                Conv2DFast.copyBias(p.outputChannels, bias, biasStart));
    }

    @Override
    public int scratchInts() {
        return 2 * patchSize;
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart) {
        final ConvParams p = this.p;
        final int taps = p.filterHeight * p.filterWidth;
        final int inC = p.inputChannels;
        final int groupInC = p.groupInputChannels();
        final int groupOutC = p.outputChannels / p.groups;
        final int k = groupDepth;
        final int grouped = scratchStart + patchSize;
        final int[] w = weights;
        int out = outputStart;
        for (int b = 0; b < p.batches; b++) {
            for (int oy = 0; oy < p.outputHeight; oy++) {
                for (int ox = 0; ox < p.outputWidth; ox++) {
                    Im2col.fill(p, input, inputStart, b, oy, ox, scratch, scratchStart);
                    for (int g = 0; g < p.groups; g++) {
                        int dst = grouped + g * k;
                        for (int t = 0; t < taps; t++) {
                            System.arraycopy(scratch, scratchStart + t * inC + g * groupInC, scratch, dst + t * groupInC, groupInC);
                        }
                    }
                    for (int oc = 0; oc < p.outputChannels; oc++) {
                        int acc = Conv2DFast.dot(scratch, grouped + (oc / groupOutC) * k, w, oc * k, k);
                        output[out++] = Requant.toInt8(acc + bias[oc], p.multipliers[oc], p.shifts[oc],
                                p.outputOffset, p.activationMin, p.activationMax);
                    }
                }
            }
        }
    }
}
