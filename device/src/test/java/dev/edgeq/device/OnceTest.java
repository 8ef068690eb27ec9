package dev.edgeq.device;

import dev.edgeq.imaging.ImageDecoder;
import dev.edgeq.imaging.ImageSizeLimit;
import dev.edgeq.device.testing.ChildJvm;
import dev.edgeq.device.testing.CliRun;
import dev.edgeq.device.testing.Mosquitto;
import dev.edgeq.device.testing.Subscriber;
import dev.edgeq.device.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run --once} tells the user when there was nothing to do, and bounds image decoding by the heap. */
class OnceTest {
    @TempDir Path tmp;

    @Test
    void anEmptyFolderIsReportedAndOnlyUnreadableImagesFail() throws Exception {
        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path bad = Files.writeString(tmp.resolve("bad.png"), "not a png");
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"))) {
            CliRun.Result r = CliRun.edgeq("run", "--model", model.toString(), "--source", "dir:" + empty, "--once",
                    "--broker", broker.url(), "--device-id", "once", "--outbox-dir", tmp.resolve("outbox").toString());
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.err().contains("nothing to classify: dir:" + empty + " holds no PNG or JPEG images"), r.toString());
            CliRun.Result b = CliRun.edgeq("run", "--model", model.toString(), "--source", "file:" + bad, "--once",
                    "--broker", broker.url(), "--device-id", "once", "--outbox-dir", tmp.resolve("outbox").toString());
            assertEquals(1, b.code(), b.toString());
            assertTrue(b.err().contains("nothing to classify: file:1 files: all 1 images were unreadable"), b.toString());
        }
    }

    @Test
    void aHugeImageIsRefusedFromItsHeaderWithAClearMessageIn32MegabytesOfHeap() throws Exception {
        Path huge = hugeGrayPng(tmp.resolve("huge.png"), 8000, 8000);
        assertTrue(Files.size(huge) < 1_000_000, "small file, huge picture: " + Files.size(huge));
        ImageDecoder.BadImageException e = assertThrows(ImageDecoder.BadImageException.class,
                () -> ImageSizeLimit.check(huge, 8000, 8000, 32L << 20));
        assertTrue(e.getMessage().contains("8000x8000 pixels is too large for this JVM's heap (decoding needs about 428 MB, the heap is 32 MB)"), e.getMessage());
        ImageSizeLimit.check(huge, 1920, 1080, 32L << 20); // a full-HD frame fits a 32 MB heap

        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        Path small = TestImages.writePng(TestImages.gray(12, 12, 1), tmp.resolve("small.png"));
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
             Subscriber sub = new Subscriber(broker.url(), "huge-sub", "edgeq/huge/classification", false);
             ChildJvm dev = ChildJvm.start(tmp.resolve("out.log"), Map.of(), List.of("-Xmx32m"),
                "--model", model.toString(), "--source", "file:" + huge + "," + small, "--once", "--device-id", "huge",
                "--broker", broker.url(), "--outbox-dir", tmp.resolve("outbox").toString())) {
            assertEquals(0, dev.waitFor(120_000), dev.output());
            String out = dev.output();
            assertTrue(out.contains("skipping " + huge + ": 8000x8000 pixels is too large for this JVM's heap"), out);
            assertTrue(sub.await(ms -> ms.size() == 1 && ms.get(0).payload().contains("\"frame\":\"small.png\""), 10_000),
                    "the small one is classified: " + sub.messages() + out);
            assertTrue(!out.contains("OutOfMemoryError") && !out.contains("Caught exception"), out);
        }
    }

    /** A valid 8-bit gray PNG of zeros, written by hand: the file is tiny, the decoded image is not. */
    static Path hugeGrayPng(Path file, int w, int h) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(png);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.write(new byte[] {8, 0, 0, 0, 0}); // 8-bit, gray, deflate, filter 0, no interlace
        chunk(out, "IHDR", ihdr.toByteArray());
        Deflater deflater = new Deflater(9);
        byte[] row = new byte[w + 1]; // filter byte + pixels, all zero
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        for (int y = 0; y < h; y++) {
            deflater.setInput(row);
            while (!deflater.needsInput()) idat.write(buf, 0, deflater.deflate(buf));
        }
        deflater.finish();
        while (!deflater.finished()) idat.write(buf, 0, deflater.deflate(buf));
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return Files.write(file, png.toByteArray());
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
