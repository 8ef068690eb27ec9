package dev.edgeq.device.snapshot;

import dev.edgeq.imaging.Frame;
import dev.edgeq.imaging.I420Layout;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshot crops of camera (I420, padded rows) and gray frames, and the JPEG size bound. */
class FrameImagesTest {

    @Test
    void anI420CropTakesTheRightPixelsAcrossPaddedRows() {
        // 20x10, stride 64: Y = 50 left of x=10, 200 from x=10; neutral chroma -> gray RGB
        Frame f = new Frame();
        f.setI420(I420Layout.aligned(20, 10, 64));
        I420Layout l = f.i420Layout();
        f.ensureCapacity(l.frameBytes());
        java.util.Arrays.fill(f.data, (byte) 128);
        for (int y = 0; y < 10; y++) for (int x = 0; x < 20; x++) f.data[y * l.yStride() + x] = (byte) (x < 10 ? 50 : 200);
        BufferedImage right = FrameImages.crop(f, new int[] {10, 2, 6, 5});
        assertEquals(6, right.getWidth());
        assertEquals(5, right.getHeight());
        for (int y = 0; y < 5; y++) for (int x = 0; x < 6; x++) assertEquals(0xC8C8C8, right.getRGB(x, y) & 0xFFFFFF);
        assertEquals(0x323232, FrameImages.crop(f, new int[] {0, 0, 10, 10}).getRGB(9, 9) & 0xFFFFFF);
    }

    @Test
    void aSnapshotOverTheByteLimitIsShrunkUntilItFits() throws Exception {
        BufferedImage noise = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        java.util.Random r = new java.util.Random(3);
        for (int y = 0; y < 300; y++) for (int x = 0; x < 400; x++) noise.setRGB(x, y, r.nextInt(1 << 24));
        byte[] big = new JpegEncoder(0.95, 1 << 20).encode(noise);
        byte[] bounded = new JpegEncoder(0.95, 20_000).encode(noise);
        assertTrue(big.length > 20_000, "noise at 0.95 is large: " + big.length);
        assertTrue(bounded.length <= 20_000, "bounded: " + bounded.length);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(bounded));
        assertTrue(back.getWidth() < 400 && back.getWidth() * 300 == back.getHeight() * 400, back.getWidth() + "x" + back.getHeight());
    }
}
