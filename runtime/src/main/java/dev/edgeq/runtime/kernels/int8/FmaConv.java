package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;
import dev.edgeq.runtime.kernels.ConvGeometry;

import java.util.Arrays;

/**
 * A convolution's walk over a zero-bordered padded image for the tiles ({@code float32.FloatTiles}):
 * the padded image's size, each kernel position's offset inside it, each output pixel's base index,
 * the border fill, the repacking of OHWI weights to {@code [tap][paddedChannels]} and their blocked
 * order ({@link #bySlices}). Shared by the float and the int8 ({@code float-exact}) convolution
 * kernels, which differ only in how they fill the image's interior (floats, or int8 values plus the
 * input offset) and what they do with the sums. Immutable; built at prepare time.
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

    /**
     * Channel vectors per slice of {@link #bySlices}: the widest tile's, so that a slice's weights
     * for one chunk of taps stay in L1 while the tiles of a block of pixels read them.
     */
    public static final int SLICE_VECTORS = 3;

    /** {@code [0, taps)} cut at {@code bounds} (ascending, from 0 to taps) and then every {@code chunk} taps. */
    public static int[] chunks(int[] bounds, int chunk) {
        int[] out = new int[bounds[bounds.length - 1] / chunk + bounds.length + 1];
        int n = 0;
        for (int i = 0; i + 1 < bounds.length; i++) {
            for (int t = bounds[i]; t < bounds[i + 1]; t += chunk) {
                out[n++] = t;
            }
        }
        out[n++] = bounds[bounds.length - 1];
        return Arrays.copyOf(out, n);
    }

    /**
     * Weights {@code [tap][ocp]} rearranged in the order a blocked convolution reads them: chunk by
     * chunk of taps ({@code chunks}' bounds), within a chunk slice by slice of {@link #SLICE_VECTORS}
     * channel vectors, each slice's taps contiguous ({@link #sliceStart}). With rows of the whole
     * {@code ocp} a tile read each chunk as short runs {@code 4 * ocp} bytes apart, which the hardware
     * prefetcher does not follow across pages and which fall into few L1 sets: ResNet-18's late
     * layers, whose 2.4-9.4 MB of weights stream from memory, ran at 28 GMAC/s instead of 35+.
     */
    public static float[] bySlices(float[] rows, int[] chunks, int ocp) {
        int slice = SLICE_VECTORS * FmaTiles.LANES;
        float[] w = new float[rows.length];
        for (int c = 0; c + 1 < chunks.length; c++) {
            int t0 = chunks[c];
            int t1 = chunks[c + 1];
            for (int oc = 0; oc < ocp; oc += slice) {
                int width = Math.min(ocp, oc + slice) - oc;
                int start = sliceStart(t0, t1, oc, ocp);
                for (int t = t0; t < t1; t++) {
                    System.arraycopy(rows, t * ocp + oc, w, start + (t - t0) * width, width);
                }
            }
        }
        return w;
    }

    /** Where the slice of channels from {@code oc} of chunk {@code [t0, t1)} starts in {@link #bySlices}' order. */
    public static int sliceStart(int t0, int t1, int oc, int ocp) {
        return t0 * ocp + oc * (t1 - t0);
    }

    /** Ints of the padded image. */    /** Ints of the padded image. */
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

    /** Zeroes the padding of the float image at {@code image} (the caller fills the interior rows). */
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

    /** Image index of output pixel {@code pixel}'s window corner in group {@code group}'s channels. */
    public int base(int image, int group, int pixel) {
        return base(image + group * groupChannels, pixel);
    }

    /** Offset of each tap (ky, kx, ic) from a window's corner; shared, not to be modified. */
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
