package dev.edgeq.device.source;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Stand-in camera executables for tests, written in Python (stdlib only) so the byte layout is produced by
 * a second, independent implementation: rpicam-vid writing padded I420, ffmpeg writing rawvideo.
 */
final class StandIns {
    private StandIns() {}

    /** Raw packed RGB (w*h*3) of an image, the stand-ins' input. */
    static Path rawRgb(BufferedImage img, Path file) throws IOException {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] b = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getType() == BufferedImage.TYPE_BYTE_GRAY ? img.getRaster().getSample(x, y, 0) * 0x010101 : img.getRGB(x, y);
                int o = (y * w + x) * 3;
                b[o] = (byte) (p >> 16);
                b[o + 1] = (byte) (p >> 8);
                b[o + 2] = (byte) p;
            }
        }
        Files.write(file, b);
        return file;
    }

    private static Path script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/usr/bin/python3\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /**
     * rpicam-vid: checks the arguments, records them in argsFile, writes {@code frames} I420 frames with the Y
     * stride = width rounded up to {@code align} (padding bytes 0xAA), full-range BT.601, then exits.
     */
    static Path rpicam(Path dir, Path rawRgb, int align, int frames, Path argsFile) throws IOException {
        return script(dir.resolve("rpicam-vid"), """
                import sys
                a = sys.argv[1:]
                open(%s, 'w').write(' '.join(a))
                assert a[:4] == ['-n', '-t', '0', '--codec'] and a[4] == 'yuv420', a
                assert '--flush' in a and a[-2:] == ['-o', '-'], a
                w = int(a[a.index('--width') + 1]); h = int(a[a.index('--height') + 1])
                src = open(%s, 'rb').read()
                assert len(src) == w * h * 3, (len(src), w, h)
                align = %d
                stride = (w + align - 1) // align * align
                cs, ch = stride // 2, (h + 1) // 2
                clamp = lambda v: max(0, min(255, int(v + 0.5) if v >= 0 else int(v - 0.5)))
                Y = bytearray([0xAA]) * (stride * h); U = bytearray([0xAA]) * (cs * ch); V = bytearray([0xAA]) * (cs * ch)
                def px(x, y):
                    o = (y * w + x) * 3
                    return src[o], src[o + 1], src[o + 2]
                for y in range(h):
                    for x in range(w):
                        r, g, b = px(x, y)
                        Y[y * stride + x] = clamp(0.299 * r + 0.587 * g + 0.114 * b)
                for cy in range(ch):
                    for cx in range((w + 1) // 2):
                        ps = [px(x, y) for y in (2 * cy, 2 * cy + 1) for x in (2 * cx, 2 * cx + 1) if x < w and y < h]
                        r = sum(p[0] for p in ps) / len(ps); g = sum(p[1] for p in ps) / len(ps); b = sum(p[2] for p in ps) / len(ps)
                        U[cy * cs + cx] = clamp(-0.168736 * r - 0.331264 * g + 0.5 * b + 128)
                        V[cy * cs + cx] = clamp(0.5 * r - 0.418688 * g - 0.081312 * b + 128)
                frame = bytes(Y + U + V)
                out = sys.stdout.buffer
                for i in range(%d):
                    out.write(frame); out.flush()
                """.formatted(pyStr(argsFile), pyStr(rawRgb), align, frames));
    }

    /** ffmpeg: checks the v4l2 arguments and writes {@code frames} rawvideo frames (gray or rgb24). */
    static Path ffmpeg(Path dir, Path rawRgb, int w, int h, int frames, Path argsFile) throws IOException {
        return script(dir.resolve("ffmpeg"), """
                import sys
                a = sys.argv[1:]
                open(%s, 'w').write(' '.join(a))
                assert a[a.index('-f') + 1] == 'v4l2' and a[-1] == '-', a
                assert a[a.index('-vf') + 1] == 'scale=%d:%d', a
                fmt = a[a.index('-pix_fmt') + 1]
                src = open(%s, 'rb').read()
                if fmt == 'gray':
                    frame = bytes(int(0.299 * src[i] + 0.587 * src[i + 1] + 0.114 * src[i + 2] + 0.5) for i in range(0, len(src), 3))
                else:
                    assert fmt == 'rgb24', fmt
                    frame = src
                out = sys.stdout.buffer
                for i in range(%d):
                    out.write(frame); out.flush()
                """.formatted(pyStr(argsFile), w, h, pyStr(rawRgb), frames));
    }

    private static String pyStr(Path p) {
        return "'" + p.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
