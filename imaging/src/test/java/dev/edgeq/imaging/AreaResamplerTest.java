package dev.edgeq.imaging;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AreaResamplerTest {
    private static Frame gray(int w, int h, int stride, byte[] data) {
        Frame f = new Frame();
        f.data = data;
        f.setGray(w, h, stride);
        return f;
    }

    @Test
    void sameSizeIsIdentity() {
        byte[] d = new byte[12 * 12];
        new Random(1).nextBytes(d);
        byte[] out = new byte[144];
        new AreaResampler(12, 12, 1).process(gray(12, 12, 12, d), out, 0);
        assertArrayEquals(d, out);
    }

    @Test
    void halvingAveragesEach2x2BlockRoundingHalfUp() {
        byte[] d = {0, 1, 10, 20,
                    2, 2, 30, 40,
                    (byte) 255, (byte) 255, 7, 7,
                    (byte) 254, (byte) 255, 7, 8};
        byte[] out = new byte[4];
        new AreaResampler(2, 2, 1).process(gray(4, 4, 4, d), out, 0);
        // (0+1+2+2)/4 = 1.25 -> 1; 100/4 = 25; 1019/4 = 254.75 -> 255; 29/4 = 7.25 -> 7
        assertArrayEquals(new byte[] {1, 25, (byte) 255, 7}, out);
    }

    @Test
    void strideIsHonouredAndPaddingIgnored() {
        byte[] d = new byte[4 * 16];
        java.util.Arrays.fill(d, (byte) 200); // padding
        for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) d[y * 16 + x] = 10;
        byte[] out = new byte[4];
        new AreaResampler(2, 2, 1).process(gray(4, 4, 16, d), out, 0);
        assertArrayEquals(new byte[] {10, 10, 10, 10}, out);
    }

    @Test
    void centerCropsToTheModelAspectRatio() {
        // 40x20: outer 10 columns each side white, the middle 20x20 black -> a square model sees only black
        byte[] d = new byte[40 * 20];
        for (int y = 0; y < 20; y++) for (int x = 0; x < 40; x++) d[y * 40 + x] = (byte) (x < 10 || x >= 30 ? 255 : 0);
        byte[] out = new byte[5 * 5];
        AreaResampler a = new AreaResampler(5, 5, 1);
        a.process(gray(40, 20, 40, d), out, 0);
        assertArrayEquals(new byte[25], out);
        assertArrayEquals(new int[] {10, 0, 20, 20}, a.cropRect());
    }

    /** Area average in doubles, as the reference. */
    private static double[] reference(int[][] px, int fw, int fh, int ow, int oh) {
        double cw, ch, x0, y0;
        if ((long) fw * oh > (long) fh * ow) { ch = fh; cw = Math.round((double) fh * ow / oh); } else { cw = fw; ch = Math.round((double) fw * oh / ow); }
        x0 = Math.floor((fw - cw) / 2);
        y0 = Math.floor((fh - ch) / 2);
        double[] out = new double[ow * oh];
        double sx = cw / ow, sy = ch / oh;
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                double a = ox * sx, b = (ox + 1) * sx, c = oy * sy, e = (oy + 1) * sy, sum = 0;
                for (int y = (int) Math.floor(c); y < Math.ceil(e); y++) {
                    double wy = Math.min(e, y + 1) - Math.max(c, y);
                    for (int x = (int) Math.floor(a); x < Math.ceil(b); x++) {
                        double wx = Math.min(b, x + 1) - Math.max(a, x);
                        sum += wx * wy * px[(int) y0 + y][(int) x0 + x];
                    }
                }
                out[oy * ow + ox] = sum / (sx * sy);
            }
        }
        return out;
    }

    @Test
    void matchesAFloatingPointAreaAverageWithinHalfALevel() {
        Random r = new Random(5);
        int[][] sizes = {{640, 480, 28, 28}, {101, 75, 28, 28}, {224, 224, 96, 96}, {33, 17, 8, 5}, {1920, 1080, 32, 24}};
        for (int[] s : sizes) {
            int fw = s[0], fh = s[1], ow = s[2], oh = s[3];
            byte[] d = new byte[fw * fh];
            int[][] px = new int[fh][fw];
            for (int y = 0; y < fh; y++) for (int x = 0; x < fw; x++) { px[y][x] = r.nextInt(256); d[y * fw + x] = (byte) px[y][x]; }
            byte[] out = new byte[ow * oh];
            new AreaResampler(oh, ow, 1).process(gray(fw, fh, fw, d), out, 0);
            double[] ref = reference(px, fw, fh, ow, oh);
            for (int i = 0; i < out.length; i++) {
                assertTrue(Math.abs((out[i] & 0xFF) - ref[i]) <= 0.5 + 1e-9,
                        fw + "x" + fh + "->" + ow + "x" + oh + " pixel " + i + ": " + (out[i] & 0xFF) + " vs " + ref[i]);
            }
        }
    }

    @Test
    void rgbToGrayUsesTheOneLumaAndGrayToRgbReplicates() {
        Frame rgb = new Frame();
        rgb.data = new byte[] {(byte) 200, 100, 50};
        rgb.setRgb(1, 1, 3);
        byte[] out = new byte[1];
        new AreaResampler(1, 1, 1).process(rgb, out, 0);
        // Pillow: Image.new("RGB", (1, 1), (200, 100, 50)).convert("L").getpixel((0, 0)) == 124
        assertEquals(124, out[0] & 0xFF);
        assertEquals(124, Luma.of(200, 100, 50));
        byte[] out3 = new byte[3];
        new AreaResampler(1, 1, 3).process(gray(1, 1, 1, new byte[] {77}), out3, 0);
        assertArrayEquals(new byte[] {77, 77, 77}, out3);
    }
}
