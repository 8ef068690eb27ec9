package dev.edgeq.runtime.kernels.int8;

import java.util.Arrays;

/**
 * A convolution's walk over a zero-bordered padded image for {@link FmaTiles}: the padded image's
 * size, each kernel position's offset inside it, each output pixel's base index, the border fill
 * and the repacking of OHWI weights to {@code [tap][paddedChannels]}. Shared by the float and the
 * int8 ({@code float-exact}) convolution kernels, which differ only in how they fill the image's
 * interior and what they do with the accumulators. Immutable; built at prepare time.
 */
public final class FmaConv {
    public final int inputHeight;
    public final int inputWidth;
    public final int inputChannels;
    public final int outputHeight;
    public final int outputWidth;
    private final int strideHeight;
    private final int strideWidth;
    private final int padTop;
    private final int padLeft;
    private final int paddedHeight;
    private final int paddedWidth;
    /** Input channels each output channel reads (all of them without groups). */
    public final int groupChannels;
    /** Taps of one output value: kernel positions times {@link #groupChannels}. */
    public final int taps;
    /** Offset of tap (ky, kx, ic) from a window's top-left corner in the padded image, HWI order. */
    private final int[] tapOffsets;

    public FmaConv(int inputHeight, int inputWidth, int inputChannels, int outputHeight, int outputWidth,
                   int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int dilationHeight, int dilationWidth,
                   int padTop, int padLeft, int padBottom, int padRight, int groupChannels) {
        this.inputHeight = inputHeight;
        this.inputWidth = inputWidth;
        this.inputChannels = inputChannels;
        this.outputHeight = outputHeight;
        this.outputWidth = outputWidth;
        this.strideHeight = strideHeight;
        this.strideWidth = strideWidth;
        this.padTop = padTop;
        this.padLeft = padLeft;
        this.paddedHeight = inputHeight + padTop + padBottom;
        this.paddedWidth = inputWidth + padLeft + padRight;
        this.groupChannels = groupChannels;
        this.taps = kernelHeight * kernelWidth * groupChannels;
        Checks.fitsInt("padded input", (long) paddedHeight * paddedWidth * inputChannels);
        this.tapOffsets = new int[taps];
        for (int ky = 0, i = 0; ky < kernelHeight; ky++) {
            for (int kx = 0; kx < kernelWidth; kx++) {
                for (int ic = 0; ic < groupChannels; ic++) {
                    tapOffsets[i++] = (ky * dilationHeight * paddedWidth + kx * dilationWidth) * inputChannels + ic;
                }
            }
        }
    }

    /** Ints of the padded image. */
    public int imageInts() {
        return paddedHeight * paddedWidth * inputChannels;
    }

    public int outputPixels() {
        return outputHeight * outputWidth;
    }

    /** Index of input row {@code y}'s first real pixel in the padded image at {@code image}. */
    public int rowStart(int image, int y) {
        return image + ((y + padTop) * paddedWidth + padLeft) * inputChannels;
    }

    /** Zeroes the padding of the image at {@code image} (the caller fills the interior rows). */
    public void clearBorder(int[] s, int image) {
        final int c = inputChannels;
        final int rowInts = paddedWidth * c;
        Arrays.fill(s, image, image + padTop * rowInts, 0);
        Arrays.fill(s, image + (padTop + inputHeight) * rowInts, image + paddedHeight * rowInts, 0);
        if (paddedWidth == inputWidth) {
            return;
        }
        for (int y = 0; y < inputHeight; y++) {
            int row = image + (y + padTop) * rowInts;
            Arrays.fill(s, row, row + padLeft * c, 0);
            Arrays.fill(s, row + (padLeft + inputWidth) * c, row + rowInts, 0);
        }
    }

    /**
     * Output pixels {@code [pixel, pixel + n)} ({@code n <= PIXELS}, row-major over the output)
     * of the channels whose weights {@code w} and initial values {@code init} hold (group
     * {@code group}'s input channels), taps {@code [t0, t1)}, to {@code dst} as float bits.
     */
    public void pixels(int[] s, int image, int pixel, int n, int group, float[] w, int paddedChannels,
                       float[] init, int initStart, int t0, int t1, int dst) {
        int g = image + group * groupChannels;
        int b0 = base(g, pixel);
        if (n == 1) {
            FmaTiles.pixel1(s, b0, tapOffsets, t0, t1, w, paddedChannels, init, initStart, s, dst);
            return;
        }
        // Fewer than 4 pixels (the image's end) repeat the last one; its copies are ignored.
        int b1 = base(g, pixel + 1);
        int b2 = n > 2 ? base(g, pixel + 2) : b1;
        int b3 = n > 3 ? base(g, pixel + 3) : b2;
        FmaTiles.pixels4(s, b0, b1, b2, b3, tapOffsets, t0, t1, w, paddedChannels, init, initStart, s, dst);
    }

    private int base(int image, int pixel) {
        int oy = pixel / outputWidth;
        int ox = pixel - oy * outputWidth;
        return image + (oy * strideHeight * paddedWidth + ox * strideWidth) * inputChannels;
    }

    /**
     * OHWI weights of output channels {@code [firstChannel, firstChannel + channels)} (each reading
     * {@code taps} values) as {@code float[taps][padded(channels)]}, zero past the real channels.
     */
    public static float[] repack(int taps, int channels, int firstChannel, Weight weight) {
        int ocp = FmaTiles.padded(channels);
        Checks.fitsInt("repacked filter", (long) taps * ocp);
        float[] w = new float[taps * ocp];
        for (int oc = 0; oc < channels; oc++) {
            for (int t = 0; t < taps; t++) {
                w[t * ocp + oc] = weight.at((firstChannel + oc) * taps + t);
            }
        }
        return w;
    }

    /** The weights' element {@code i} (OHWI order) as float. */
    public interface Weight {
        float at(int i);
    }
}
