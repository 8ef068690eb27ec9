package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;
import dev.edgeq.runtime.kernels.ConvGeometry;

import java.util.Arrays;

/**
 * A convolution's walk over a zero-bordered padded image for {@link FmaTiles}: the padded image's
 * size, each kernel position's offset inside it, each output pixel's base index, the border fill
 * and the repacking of OHWI weights to {@code [tap][paddedChannels]}. Shared by the float and the
 * int8 ({@code float-exact}) convolution kernels, which differ only in how they fill the image's
 * interior and what they do with the accumulators. Immutable; built at prepare time.
 */
public final class FmaConv {
    private final ConvGeometry g;
    private final int paddedHeight;
    private final int paddedWidth;
    /** Input channels each output channel reads (all of them without groups). */
    public final int groupChannels;
    /** Taps of one output value: kernel positions times {@link #groupChannels}. */
    public final int taps;
    /** Offset of tap (ky, kx, ic) from a window's top-left corner in the padded image, HWI order. */
    private final int[] tapOffsets;
    /** The padding of the image, see {@link #borderRanges}. */
    private final int[] border;
    /**
     * Offset of each output pixel's window corner in the padded image: a table, because computing it
     * takes an integer division per pixel, several per tile call, which cost layers of few taps
     * (MobileNetV2's 1x1 convolutions of 16-32 input channels) a noticeable share of their time.
     */
    private final int[] pixelOffsets;

    /** The walk of {@code g} (batch by batch: one image holds one batch). */
    public FmaConv(ConvGeometry g) {
        this.g = g;
        this.paddedHeight = g.inputH + g.padTop + g.padBottom;
        this.paddedWidth = g.inputW + g.padLeft + g.padRight;
        this.groupChannels = g.groupInputChannels();
        this.taps = g.kernelH * g.kernelW * groupChannels;
        Checks.fitsInt("padded input", (long) paddedHeight * paddedWidth * g.inputC);
        this.border = borderRanges(g, paddedHeight, paddedWidth);
        this.pixelOffsets = new int[g.outputH * g.outputW];
        for (int oy = 0, p = 0; oy < g.outputH; oy++) {
            for (int ox = 0; ox < g.outputW; ox++) {
                pixelOffsets[p++] = (oy * g.strideH * paddedWidth + ox * g.strideW) * g.inputC;
            }
        }
        this.tapOffsets = new int[taps];
        for (int ky = 0, i = 0; ky < g.kernelH; ky++) {
            for (int kx = 0; kx < g.kernelW; kx++) {
                for (int ic = 0; ic < groupChannels; ic++) {
                    tapOffsets[i++] = (ky * g.dilationH * paddedWidth + kx * g.dilationW) * g.inputC + ic;
                }
            }
        }
    }

    /** Ints of the padded image. */
    public int imageInts() {
        return paddedHeight * paddedWidth * g.inputC;
    }

    /** Output pixels of one batch. */
    public int outputPixels() {
        return g.outputH * g.outputW;
    }

    /** Index of input row {@code y}'s first real pixel in the padded image at {@code image}. */
    public int rowStart(int image, int y) {
        return image + ((y + g.padTop) * paddedWidth + g.padLeft) * g.inputC;
    }

    /** Zeroes the padding of the image at {@code image} (the caller fills the interior rows). */
    public void clearBorder(int[] s, int image) {
        for (int i = 0; i < border.length; i += 2) {
            Arrays.fill(s, image + border[i], image + border[i + 1], 0);
        }
    }

    /** {@link #clearBorder(int[], int)} of a float image. */
    public void clearBorder(float[] s, int image) {
        for (int i = 0; i < border.length; i += 2) {
            Arrays.fill(s, image + border[i], image + border[i + 1], 0f);
        }
    }

    /** The padding of an image at index 0 as {@code [from, to)} ranges, empty ones left out. */
    private static int[] borderRanges(ConvGeometry g, int paddedHeight, int paddedWidth) {
        final int c = g.inputC;
        final int rowInts = paddedWidth * c;
        int[] r = new int[4 + 4 * g.inputH];
        int n = 0;
        n = range(r, n, 0, g.padTop * rowInts);
        n = range(r, n, (g.padTop + g.inputH) * rowInts, paddedHeight * rowInts);
        for (int y = 0; y < g.inputH; y++) {
            int row = (y + g.padTop) * rowInts;
            n = range(r, n, row, row + g.padLeft * c);
            n = range(r, n, row + (g.padLeft + g.inputW) * c, row + rowInts);
        }
        return Arrays.copyOf(r, n);
    }

    private static int range(int[] r, int n, int from, int to) {
        if (from < to) {
            r[n++] = from;
            r[n++] = to;
        }
        return n;
    }

    /**
     * Output pixels {@code [pixel, pixel + n)} ({@code n <= PIXELS}, row-major over the output)
     * of the channels whose weights {@code w} and initial values {@code init} hold (group
     * {@code group}'s input channels), taps {@code [t0, t1)}, to {@code dst} as float bits.
     */
    public void pixels(int[] s, int image, int pixel, int n, int group, float[] w, int paddedChannels,
                       float[] init, int initStart, int t0, int t1, int dst) {
        int groupImage = image + group * groupChannels;
        int b0 = base(groupImage, pixel);
        if (n == 1) {
            FmaTiles.pixel1(s, b0, tapOffsets, t0, t1, w, paddedChannels, init, initStart, s, dst);
            return;
        }
        // Fewer than 4 pixels (the image's end) repeat the last one; its copies are ignored.
        int b1 = base(groupImage, pixel + 1);
        int b2 = n > 2 ? base(groupImage, pixel + 2) : b1;
        int b3 = n > 3 ? base(groupImage, pixel + 3) : b2;
        FmaTiles.pixels4(s, b0, b1, b2, b3, tapOffsets, t0, t1, w, paddedChannels, init, initStart, s, dst);
    }

    /** Image index of output pixel {@code pixel}'s window corner in group {@code group}'s channels (for the float tiles). */
    public int base(int image, int group, int pixel) {
        return base(image + group * groupChannels, pixel);
    }

    /** Offset of each tap from a window's corner (see {@link #pixels}); shared, not to be modified. */
    public int[] tapOffsets() {
        return tapOffsets;
    }

    private int base(int image, int pixel) {
        return image + pixelOffsets[pixel];
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
