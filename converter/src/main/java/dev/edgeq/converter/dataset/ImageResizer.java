package dev.edgeq.converter.dataset;

/**
 * Center-crops an 8-bit image to the target aspect ratio and downscales it by area averaging
 * (nearest sampling when upscaling), converting gray to RGB by replication and RGB to gray with
 * BT.601 integer weights. Used to bring dataset images to the model's input size.
 */
public final class ImageResizer {
    private final int inH;
    private final int inW;
    private final int inC;
    private final int outH;
    private final int outW;
    private final int outC;
    private final int cropY;
    private final int cropX;
    private final int cropH;
    private final int cropW;

    public ImageResizer(int inH, int inW, int inC, int outH, int outW, int outC) {
        if (inC != 1 && inC != 3 || outC != 1 && outC != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3: " + inC + " -> " + outC);
        }
        this.inH = inH;
        this.inW = inW;
        this.inC = inC;
        this.outH = outH;
        this.outW = outW;
        this.outC = outC;
        // Largest centered crop with the output's aspect ratio.
        if ((long) inW * outH > (long) inH * outW) {
            cropH = inH;
            cropW = (int) ((long) inH * outW / outH);
        } else {
            cropW = inW;
            cropH = (int) ((long) inW * outH / outW);
        }
        cropY = (inH - cropH) / 2;
        cropX = (inW - cropW) / 2;
    }

    public int outHeight() { return outH; }
    public int outWidth() { return outW; }
    public int outChannels() { return outC; }

    public void resize(byte[] src, int srcOff, byte[] dst, int dstOff) {
        for (int oy = 0; oy < outH; oy++) {
            int y0 = cropY + oy * cropH / outH;
            int y1 = Math.max(y0 + 1, cropY + (oy + 1) * cropH / outH);
            for (int ox = 0; ox < outW; ox++) {
                int x0 = cropX + ox * cropW / outW;
                int x1 = Math.max(x0 + 1, cropX + (ox + 1) * cropW / outW);
                int count = (y1 - y0) * (x1 - x0);
                int r = 0;
                int g = 0;
                int b = 0;
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        int p = srcOff + (y * inW + x) * inC;
                        if (inC == 1) {
                            int v = src[p] & 0xFF;
                            r += v;
                            g += v;
                            b += v;
                        } else {
                            r += src[p] & 0xFF;
                            g += src[p + 1] & 0xFF;
                            b += src[p + 2] & 0xFF;
                        }
                    }
                }
                int o = dstOff + (oy * outW + ox) * outC;
                if (outC == 1) {
                    // BT.601 luma, integer weights summing to 1024.
                    int luma = (306 * r + 601 * g + 117 * b) / 1024;
                    dst[o] = (byte) ((luma + count / 2) / count);
                } else {
                    dst[o] = (byte) ((r + count / 2) / count);
                    dst[o + 1] = (byte) ((g + count / 2) / count);
                    dst[o + 2] = (byte) ((b + count / 2) / count);
                }
            }
        }
    }
}
