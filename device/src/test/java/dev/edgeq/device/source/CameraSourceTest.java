package dev.edgeq.device.source;

import dev.edgeq.imaging.Frame;
import dev.edgeq.imaging.PixelFormat;
import dev.edgeq.imaging.ImageDecoder;
import dev.edgeq.imaging.I420Layout;
import dev.edgeq.imaging.AreaResampler;
import dev.edgeq.device.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rpicam and v4l2 sources driven by stand-in executables that write the real byte formats. */
class CameraSourceTest {
    @TempDir Path tmp;
    private final List<String> log = new ArrayList<>();

    private static void assertGrayEquals(BufferedImage img, Frame f) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int expected = img.getRaster().getSample(x, y, 0);
                int[] rgb = new int[3];
                ImageDecoder.rgbAt(f, x, y, rgb);
                if (f.format == PixelFormat.I420 || f.format == PixelFormat.GRAY) {
                    int actual = f.data[y * f.stride + x] & 0xFF;
                    if (actual != expected) throw new AssertionError("pixel (" + x + "," + y + "): " + actual + " != " + expected);
                } else {
                    assertEquals(expected, rgb[0]);
                }
            }
        }
    }

    private static void assertRgbClose(BufferedImage img, Frame f, int tolerance) {
        int[] rgb = new int[3];
        int worst = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                ImageDecoder.rgbAt(f, x, y, rgb);
                worst = Math.max(worst, Math.abs(rgb[0] - ((p >> 16) & 0xFF)));
                worst = Math.max(worst, Math.abs(rgb[1] - ((p >> 8) & 0xFF)));
                worst = Math.max(worst, Math.abs(rgb[2] - (p & 0xFF)));
            }
        }
        assertTrue(worst <= tolerance, "largest RGB difference after I420 round trip: " + worst);
    }

    private RpicamSource rpicam(Path cmd, int w, int h, int align) {
        return new RpicamSource(cmd.toString(), List.of("--denoise", "off"), w, h, 10, align, 1, log::add);
    }

    @Test
    void rpicamGray224WideHasStride256AndTheYPlaneEqualsTheImage() throws Exception {
        BufferedImage img = TestImages.gray(224, 224, 3);
        Path args = tmp.resolve("args");
        Path cmd = StandIns.rpicam(tmp, StandIns.rawRgb(img, tmp.resolve("src.rgb")), 64, 2, args);
        try (RpicamSource s = rpicam(cmd, 224, 224, 64)) {
            assertEquals(256, s.layout().yStride());
            assertEquals(256 * 224 + 2 * 128 * 112, s.layout().frameBytes());
            Frame f = new Frame();
            for (int i = 0; i < 3; i++) { // the stand-in writes 2 frames and exits: the third comes from a restart
                assertTrue(s.next(f));
                assertEquals(PixelFormat.I420, f.format);
                assertEquals(256, f.stride);
                assertGrayEquals(img, f);
            }
            assertEquals(1, s.restarts());
            assertTrue(log.stream().anyMatch(l -> l.contains("exited (code 0)") && l.contains("restarting")), "" + log);
            assertEquals("-n -t 0 --codec yuv420 --width 224 --height 224 --framerate 10 --flush --denoise off -o -", Files.readString(args));
            // through the model's preprocessing, the I420 frame gives exactly what the original image gives
            Frame ref = new Frame();
            ImageDecoder.toFrame(img, ref);
            AreaResampler a = new AreaResampler(28, 28, 1);
            byte[] fromCamera = new byte[784];
            byte[] fromImage = new byte[784];
            a.process(f, fromCamera, 0);
            new AreaResampler(28, 28, 1).process(ref, fromImage, 0);
            assertArrayEquals(fromImage, fromCamera);
        }
    }

    @Test
    void rpicamOddSizeRgbDecodesFullRangeBt601() throws Exception {
        BufferedImage img = TestImages.rgbBlocks(101, 75, 5);
        Path cmd = StandIns.rpicam(tmp, StandIns.rawRgb(img, tmp.resolve("src.rgb")), 64, 5, tmp.resolve("args"));
        try (RpicamSource s = rpicam(cmd, 101, 75, 64)) {
            I420Layout l = s.layout();
            assertEquals(128, l.yStride());
            assertEquals(64, l.chromaStride());
            assertEquals(38, l.chromaHeight());
            assertEquals(51, l.chromaWidth());
            assertEquals(128 * 75 + 2 * 64 * 38, l.frameBytes());
            Frame f = new Frame();
            assertTrue(s.next(f));
            assertRgbClose(img, f, 2);
            // RGB model input from the camera frame vs. from the image: same up to the YUV rounding
            Frame ref = new Frame();
            ImageDecoder.toFrame(img, ref);
            byte[] cam = new byte[32 * 32 * 3];
            byte[] orig = new byte[32 * 32 * 3];
            new AreaResampler(32, 32, 3).process(f, cam, 0);
            new AreaResampler(32, 32, 3).process(ref, orig, 0);
            for (int i = 0; i < cam.length; i++) assertTrue(Math.abs((cam[i] & 0xFF) - (orig[i] & 0xFF)) <= 2, "byte " + i);
        }
    }

    @Test
    void pi5StrideAlignmentOf128() throws Exception {
        BufferedImage img = TestImages.gray(320, 240, 9);
        Path cmd = StandIns.rpicam(tmp, StandIns.rawRgb(img, tmp.resolve("src.rgb")), 128, 3, tmp.resolve("args"));
        try (RpicamSource s = rpicam(cmd, 320, 240, 128)) {
            assertEquals(384, s.layout().yStride());
            Frame f = new Frame();
            assertTrue(s.next(f));
            assertGrayEquals(img, f);
        }
    }

    @Test
    void wrongStrideFailsClearly() throws Exception {
        BufferedImage img = TestImages.gray(320, 240, 11);
        // the camera pads to 128 (a Pi 5), the configuration says 64
        Path cmd = StandIns.rpicam(tmp, StandIns.rawRgb(img, tmp.resolve("src.rgb")), 128, 5, tmp.resolve("args"));
        try (RpicamSource s = rpicam(cmd, 320, 240, 64)) {
            IOException e = assertThrows(IOException.class, () -> s.next(new Frame()));
            assertTrue(e.getMessage().contains("Y stride of 384") && e.getMessage().contains("stride-align"), e.getMessage());
        }
    }

    @Test
    void cameraProcessIsStoppedWhenTheSourceCloses() throws Exception {
        Path cmd = tmp.resolve("rpicam-vid");
        Files.writeString(cmd, "#!/bin/sh\nexec python3 -c \"import sys,time\nwhile True:\n  sys.stdout.buffer.write(bytes(64*2*3)); sys.stdout.buffer.flush(); time.sleep(0.01)\"\n");
        cmd.toFile().setExecutable(true);
        RpicamSource s = rpicam(cmd, 64, 4, 64);
        assertTrue(s.next(new Frame()));
        List<ProcessHandle> children = ProcessHandle.current().children().toList();
        assertFalse(children.isEmpty());
        s.close();
        for (ProcessHandle p : children) {
            p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertFalse(p.isAlive());
        }
    }

    @Test
    void v4l2GrayAndRgbFramesEqualTheImage() throws Exception {
        BufferedImage img = TestImages.rgbBlocks(160, 120, 2);
        Path raw = StandIns.rawRgb(img, tmp.resolve("src.rgb"));
        Path args = tmp.resolve("args");
        Path ffmpeg = StandIns.ffmpeg(tmp, raw, 160, 120, 2, args);
        try (V4l2Source s = new V4l2Source(ffmpeg.toString(), "/dev/video7", 160, 120, 15, true, 1, log::add)) {
            Frame f = new Frame();
            assertTrue(s.next(f));
            assertEquals(PixelFormat.RGB, f.format);
            assertRgbClose(img, f, 0);
            assertTrue(Files.readString(args).contains("-i /dev/video7"));
            assertTrue(Files.readString(args).contains("-pix_fmt rgb24"));
        }
        BufferedImage gray = TestImages.gray(160, 120, 4);
        Path ffmpegGray = StandIns.ffmpeg(tmp, StandIns.rawRgb(gray, tmp.resolve("gray.rgb")), 160, 120, 2, args);
        try (V4l2Source s = new V4l2Source(ffmpegGray.toString(), "/dev/video0", 160, 120, 15, false, 1, log::add)) {
            Frame f = new Frame();
            assertTrue(s.next(f));
            assertEquals(PixelFormat.GRAY, f.format);
            assertGrayEquals(gray, f);
        }
    }

    @Test
    void captureFromTheCameraSavesTheFramesForTraining() throws Exception {
        BufferedImage img = TestImages.gray(100, 60, 21);
        Path cmd = StandIns.rpicam(tmp, StandIns.rawRgb(img, tmp.resolve("src.rgb")), 64, 3, tmp.resolve("args"));
        Path out = tmp.resolve("dataset");
        int code = new picocli.CommandLine(new dev.edgeq.cli.CaptureCommand()).execute("--source", "rpicam", "--camera-command", cmd.toString(),
                "--width", "100", "--height", "60", "--stride-align", "64", "--label", "cup", "--count", "2", "--interval", "0",
                "--gray", "--out", out.toString());
        assertEquals(0, code);
        List<Path> files;
        try (java.util.stream.Stream<Path> st = Files.list(out.resolve("cup"))) {
            files = st.sorted().toList();
        }
        assertEquals(2, files.size());
        for (Path f : files) {
            BufferedImage saved = javax.imageio.ImageIO.read(f.toFile());
            assertEquals(100, saved.getWidth());
            assertEquals(60, saved.getHeight());
            for (int y = 0; y < 60; y++) {
                for (int x = 0; x < 100; x++) assertEquals(img.getRaster().getSample(x, y, 0), saved.getRaster().getSample(x, y, 0));
            }
        }
    }

    @Test
    void missingCameraCommandIsAClearError() {
        try (RpicamSource s = rpicam(tmp.resolve("no-such-rpicam-vid"), 64, 48, 64)) {
            IOException e = assertThrows(IOException.class, () -> s.next(new Frame()));
            assertTrue(e.getMessage().contains("cannot start camera command"), e.getMessage());
        }
    }
}
