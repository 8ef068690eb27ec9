package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.ConvGeometry;

/**
 * Fast scalar int8 grouped convolution (groups > 1, e.g. ResNeXt, RegNet), bit-exact with
 * {@link Conv2DReference}. Per output pixel, {@link Im2col} gathers the whole patch (HWI, all input
 * channels, input offset applied, padding 0), which is then regrouped group-major ({@code [group][ky][kx][ic]}),
 * so that each output channel's accumulator is one contiguous dot product of
 * {@code kernelH * kernelW * inputC / groups} against its OHWI filter row, as in
 * {@link Conv2DFast}. The regrouping costs K moves per pixel against K * outputC / groups MACs.
 *
 * <p>Scratch: {@code 2 * kernelH * kernelW * inputC} ints (patch, regrouped patch).
 */
public final class GroupedConv2DFast implements Int8Kernel {
    private final ConvParams p;
    private final int patchSize;
    private final int groupDepth;
    private final int[] weights;
    private final int[] bias;

    private GroupedConv2DFast(ConvParams p, int[] weights, int[] bias) {
        ConvGeometry g = p.geometry;
        this.p = p;
        this.patchSize = g.kernelH * g.kernelW * g.inputC;
        this.groupDepth = g.kernelH * g.kernelW * g.groupInputChannels();
        this.weights = weights;
        this.bias = bias;
    }

    /**
     * @param filter OHWI int8 filter with I = input channels per group, from {@code filterStart} (copied)
     * @param bias int32 per output channel from {@code biasStart} (copied), or null
     */
    public static GroupedConv2DFast prepare(ConvParams p, byte[] filter, int filterStart, int[] bias, int biasStart) {
        ConvGeometry g = p.geometry;
        return new GroupedConv2DFast(p, Conv2DFast.widenFilter("grouped conv filter", p, filter, filterStart),
                Conv2DFast.copyBias(g.outputC, bias, biasStart));
    }

    @Override
    public int scratchInts() {
        return 2 * patchSize;
    }

    @Override
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int[] scratch, int scratchStart,
                     float[] floatScratch, int floatScratchStart) {
        final ConvParams p = this.p;
        final ConvGeometry g = p.geometry;
        final int taps = g.kernelH * g.kernelW;
        final int inC = g.inputC;
        final int groupInC = g.groupInputChannels();
        final int groupOutC = g.outputC / g.groups;
        final int k = groupDepth;
        final int grouped = scratchStart + patchSize;
        final int[] w = weights;
        int out = outputStart;
        for (int b = 0; b < g.batches; b++) {
            for (int oy = 0; oy < g.outputH; oy++) {
                for (int ox = 0; ox < g.outputW; ox++) {
                    Im2col.fill(p, input, inputStart, b, oy, ox, scratch, scratchStart);
                    for (int group = 0; group < g.groups; group++) {
                        int dst = grouped + group * k;
                        for (int t = 0; t < taps; t++) {
                            System.arraycopy(scratch, scratchStart + t * inC + group * groupInC, scratch, dst + t * groupInC, groupInC);
                        }
                    }
                    for (int oc = 0; oc < g.outputC; oc++) {
                        int acc = Conv2DFast.dot(scratch, grouped + (oc / groupOutC) * k, w, oc * k, k);
                        output[out++] = Requant.toInt8(acc + bias[oc], p.multipliers[oc], p.shifts[oc],
                                p.outputOffset, p.activationMin, p.activationMax);
                    }
                }
            }
        }
    }
}
