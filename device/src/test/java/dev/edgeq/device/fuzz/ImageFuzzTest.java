package dev.edgeq.device.fuzz;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.edgeq.imaging.AreaResampler;
import dev.edgeq.imaging.Frame;
import dev.edgeq.imaging.ImageDecoder;
import dev.edgeq.runtime.testing.FuzzSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target: an image file (PNG or JPEG, as a folder or file source reads it) is decoded and resampled
 * to a gray and an RGB model input. The property: only {@link ImageDecoder.BadImageException} escapes; no
 * other exception, no OutOfMemoryError in the fuzz executions' small heap, no input taking over a second.
 *
 * <p>Seeds: {@code src/test/resources/dev/edgeq/device/fuzz/ImageFuzzTestInputs} (provenance in its README).
 */
class ImageFuzzTest {
    private static final Path FILE = FuzzSupport.scratchFile(".img");
    private static final Frame FRAME = new Frame();
    private static final AreaResampler GRAY = new AreaResampler(28, 28, 1);
    private static final AreaResampler RGB = new AreaResampler(32, 32, 3);
    private static final byte[] OUT = new byte[32 * 32 * 3];

    @BeforeAll
    static void loadClassesOnce() {
        FuzzSupport.warmUp(ImageFuzzTest.class, "decodeAndResample", ImageFuzzTest::fuzzerTestOneInput);
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    void decodeAndResample(byte[] bytes) {
        fuzzerTestOneInput(bytes);
    }

    @Test
    void anImageHeaderClaimingMorePixelsThanTheHeapHoldsIsRefusedBeforeDecoding() throws IOException {
        // 40-odd bytes that claim 30000 x 30000: ImageIO would try to allocate a 900 MB raster.
        Path bomb = FuzzSupport.files(ImageFuzzTest.class, "decodeAndResample").stream()
                .filter(p -> p.getFileName().toString().equals("crash-png-claims-30000x30000.png")).findFirst().orElseThrow();
        ImageDecoder.BadImageException e = assertThrows(ImageDecoder.BadImageException.class, () -> ImageDecoder.read(bomb));
        assertTrue(e.getMessage().contains("30000x30000 pixels"), e.getMessage());
    }

    /** The target (also the entry point of Jazzer's command line, used by {@code tools/fuzz}). */
    public static void fuzzerTestOneInput(byte[] bytes) {
        try {
            // ImageDecoder reads files (folder and file sources): the input goes through a real file.
            Files.write(FILE, bytes);
            ImageDecoder.decode(FILE, FRAME);
        } catch (ImageDecoder.BadImageException refused) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("the fuzz input file itself could not be written or read", e);
        }
        GRAY.process(FRAME, OUT, 0);
        RGB.process(FRAME, OUT, 0);
    }
}
