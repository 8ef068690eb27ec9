package dev.edgeq.imaging;

/**
 * Turns a frame of any size into the model's input pixels: center crop to the model's aspect ratio, then
 * area-averaging downscale, then gray or RGB, written as raw 0..255 bytes (H x W x C, channels innermost)
 * into a caller's buffer, ready for {@code Interpreter.setInputPixels}.
 *
 * <p>Integer arithmetic only. In x, let output pixel ox span [ox*cw, (ox+1)*cw) and crop pixel sx span
 * [sx*w, (sx+1)*w) (cw = crop width, w = model width): their overlap is an exact integer weight, and the
 * weights of one output pixel sum to cw; likewise in y. An output value is
 * round(sum wx*wy*p / (cw*ch)). Weights are planned once per frame geometry; a steady camera stream
 * therefore runs with no allocation per frame (a source whose size changes, e.g. a folder of images of
 * different sizes, re-plans, which allocates).
 *
 * <p>The one resampler of edgeq: the device's frames, and the converter's datasets and calibration,
 * {@code classify} and {@code eval} (through {@link ImageFiles}) all go through it.
 *
 * <p>Color: gray models take the Y plane of I420 frames, and {@link Luma} of RGB frames. RGB models take
 * RGB as is, replicate gray, and for I420 average Y, U and V separately and convert
 * the averages with full-range BT.601 ({@link YuvToRgb}): the conversion is affine, so averaging first
 * gives the same result (up to rounding and clamping) at a fraction of the cost.
 *
 * <p>Not thread-safe: one per loop.
 */
public final class AreaResampler {
    private final int outW;
    private final int outH;
    private final int channels;
    /** null: center crop to the model's aspect ratio. */
    private final CropWindow window;

    // Plan, valid for (planFormat, planW, planH)
    private PixelFormat planFormat;
    private int planW = -1;
    private int planH = -1;
    private int cropX;
    private int cropY;
    private int cropW;
    private int cropH;
    private int[] xStart;
    private int[] xCount;
    private int[] xWeightOffset;
    private int[] xWeights;
    private int[] yStart;
    private int[] yCount;
    private int[] yWeightOffset;
    private int[] yWeights;
    /** One horizontally resampled source row: outW x (1 or 3) weighted sums (at most cw*255 each). */
    private final int[] rowSums;
    /** Vertical accumulators for one output row. */
    private final long[] acc;
    /** Internal planes carried per output row: 1 for gray, 3 for RGB or YUV. */
    private final int planes;

    public AreaResampler(int outHeight, int outWidth, int channels) {
        this(outHeight, outWidth, channels, null);
    }

    /** Resamples {@code window} of each frame (null: the center crop) to outHeight x outWidth x channels. */
    public AreaResampler(int outHeight, int outWidth, int channels, CropWindow window) {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        if (outHeight < 1 || outWidth < 1) throw new IllegalArgumentException("output size must be positive");
        this.outW = outWidth;
        this.outH = outHeight;
        this.channels = channels;
        this.window = window;
        this.planes = channels;
        this.rowSums = new int[outWidth * planes];
        this.acc = new long[outWidth * planes];
    }

    public int outputBytes() {
        return outW * outH * channels;
    }

    /** The crop rectangle of the current plan: x, y, width, height in frame pixels. */
    public int[] cropRect() {
        return new int[] {cropX, cropY, cropW, cropH};
    }

    /** Resamples {@code frame} into {@code out[offset .. offset + outputBytes())}. */
    public void process(Frame frame, byte[] out, int offset) {
        if (frame.format != planFormat || frame.width != planW || frame.height != planH) plan(frame);
        long total = (long) cropW * cropH;
        long half = total / 2;
        int rowLen = outW * planes;
        for (int oy = 0; oy < outH; oy++) {
            java.util.Arrays.fill(acc, 0L);
            int yw = yWeightOffset[oy];
            for (int k = 0; k < yCount[oy]; k++) {
                int sy = yStart[oy] + k;
                long wy = yWeights[yw + k];
                horizontal(frame, sy);
                for (int i = 0; i < rowLen; i++) acc[i] += wy * rowSums[i];
            }
            int o = offset + oy * outW * channels;
            if (frame.format == PixelFormat.I420 && channels == 3) {
                for (int ox = 0; ox < outW; ox++) {
                    int y = (int) ((acc[ox * 3] + half) / total);
                    int u = (int) ((acc[ox * 3 + 1] + half) / total);
                    int v = (int) ((acc[ox * 3 + 2] + half) / total);
                    out[o++] = (byte) YuvToRgb.red(y, v);
                    out[o++] = (byte) YuvToRgb.green(y, u, v);
                    out[o++] = (byte) YuvToRgb.blue(y, u);
                }
            } else {
                for (int i = 0; i < rowLen; i++) out[o + i] = (byte) ((acc[i] + half) / total);
            }
        }
    }

    /** Fills rowSums with the x-weighted sums of source row sy for every output column. */
    private void horizontal(Frame f, int sy) {
        byte[] d = f.data;
        switch (f.format) {
            case GRAY -> {
                int row = sy * f.stride;
                for (int ox = 0; ox < outW; ox++) {
                    int s = 0;
                    int xw = xWeightOffset[ox];
                    int sx = xStart[ox];
                    for (int k = 0, n = xCount[ox]; k < n; k++) s += xWeights[xw + k] * (d[row + sx + k] & 0xFF);
                    if (channels == 1) {
                        rowSums[ox] = s;
                    } else {
                        rowSums[ox * 3] = s;
                        rowSums[ox * 3 + 1] = s;
                        rowSums[ox * 3 + 2] = s;
                    }
                }
            }
            case RGB -> {
                int row = sy * f.stride;
                for (int ox = 0; ox < outW; ox++) {
                    int r = 0, g = 0, b = 0;
                    int xw = xWeightOffset[ox];
                    int p = row + xStart[ox] * 3;
                    for (int k = 0, n = xCount[ox]; k < n; k++, p += 3) {
                        int wgt = xWeights[xw + k];
                        r += wgt * (d[p] & 0xFF);
                        g += wgt * (d[p + 1] & 0xFF);
                        b += wgt * (d[p + 2] & 0xFF);
                    }
                    if (channels == 1) {
                        // Luma of the average = average of the luma (linear), so one conversion per row sum.
                        rowSums[ox] = (int) Luma.ofSums(r, g, b);
                    } else {
                        rowSums[ox * 3] = r;
                        rowSums[ox * 3 + 1] = g;
                        rowSums[ox * 3 + 2] = b;
                    }
                }
            }
            case I420 -> {
                // I420Layout arithmetic inlined: no object per row.
                int chromaStride = f.stride >> 1;
                int uOffset = f.stride * f.height;
                int vOffset = uOffset + chromaStride * ((f.height + 1) >> 1);
                int row = sy * f.stride;
                int crow = (sy >> 1) * chromaStride;
                int uo = uOffset + crow;
                int vo = vOffset + crow;
                for (int ox = 0; ox < outW; ox++) {
                    int xw = xWeightOffset[ox];
                    int sx0 = xStart[ox];
                    int yy = 0, u = 0, v = 0;
                    for (int k = 0, n = xCount[ox]; k < n; k++) {
                        int wgt = xWeights[xw + k];
                        int sx = sx0 + k;
                        yy += wgt * (d[row + sx] & 0xFF);
                        if (channels == 3) {
                            u += wgt * (d[uo + (sx >> 1)] & 0xFF);
                            v += wgt * (d[vo + (sx >> 1)] & 0xFF);
                        }
                    }
                    if (channels == 1) {
                        rowSums[ox] = yy;
                    } else {
                        rowSums[ox * 3] = yy;
                        rowSums[ox * 3 + 1] = u;
                        rowSums[ox * 3 + 2] = v;
                    }
                }
            }
        }
    }

    private void plan(Frame f) {
        int fw = f.width;
        int fh = f.height;
        if (window != null) {
            int[] r = window.resolve(fw, fh);
            cropX = r[0];
            cropY = r[1];
            cropW = r[2];
            cropH = r[3];
        } else {
            centerCrop(fw, fh);
        }
        if ((long) cropW * 255 > Integer.MAX_VALUE / 2) throw new IllegalArgumentException("frame too wide: " + fw);
        int[][] x = axis(cropX, cropW, outW);
        xStart = x[0]; xCount = x[1]; xWeightOffset = x[2]; xWeights = x[3];
        int[][] y = axis(cropY, cropH, outH);
        yStart = y[0]; yCount = y[1]; yWeightOffset = y[2]; yWeights = y[3];
        planFormat = f.format;
        planW = fw;
        planH = fh;
    }

    private void centerCrop(int fw, int fh) {
        // Center crop to the model's aspect ratio (outW/outH), comparing fw/fh with outW/outH in integers.
        if ((long) fw * outH > (long) fh * outW) {
            cropH = fh;
            cropW = (int) Math.max(1, ((long) fh * outW + outH / 2) / outH);
        } else {
            cropW = fw;
            cropH = (int) Math.max(1, ((long) fw * outH + outW / 2) / outW);
        }
        cropX = (fw - cropW) / 2;
        cropY = (fh - cropH) / 2;
    }

    /** Overlap weights of crop pixels (units of 1/out) for each output pixel along one axis. */
    private static int[][] axis(int origin, int src, int out) {
        int[] start = new int[out];
        int[] count = new int[out];
        int[] woff = new int[out];
        int total = 0;
        for (int o = 0; o < out; o++) {
            long lo = (long) o * src;
            long hi = (long) (o + 1) * src;
            int s0 = (int) (lo / out);
            int s1 = (int) ((hi - 1) / out);
            start[o] = s0;
            count[o] = s1 - s0 + 1;
            woff[o] = total;
            total += count[o];
        }
        int[] weights = new int[total];
        for (int o = 0; o < out; o++) {
            long lo = (long) o * src;
            long hi = (long) (o + 1) * src;
            for (int k = 0; k < count[o]; k++) {
                long s = start[o] + k;
                long a = Math.max(s * out, lo);
                long b = Math.min((s + 1) * out, hi);
                weights[woff[o] + k] = (int) (b - a);
            }
            start[o] += origin;
        }
        return new int[][] {start, count, woff, weights};
    }
}
