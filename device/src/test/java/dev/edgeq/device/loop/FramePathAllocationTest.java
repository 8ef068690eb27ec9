package dev.edgeq.device.loop;

import dev.edgeq.device.testing.TestImages;
import dev.edgeq.imaging.AreaResampler;
import dev.edgeq.imaging.Frame;
import dev.edgeq.imaging.I420Layout;
import dev.edgeq.imaging.ImageDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;


/**
 * The device's per-frame path, camera frame to the message written, allocates nothing; publishing then
 * copies the message into its payload array (measured in {@link ClassificationJsonTest}).
 */
class FramePathAllocationTest {
    @TempDir Path tmp;

    @Test
    void perFramePathAllocatesNothing() throws Exception {
        Frame camera = new Frame();
        ImageDecoder.toFrame(TestImages.gray(640, 480, 1), camera);
        Frame i420 = new Frame();
        i420.setI420(I420Layout.aligned(224, 224, 64));
        i420.ensureCapacity(i420.i420Layout().frameBytes());
        try (RuntimeFrameClassifier cl = RuntimeFrameClassifier.open(TestImages.smallModel(tmp.resolve("m.eqm")), 3)) {
            AreaResampler gray = new AreaResampler(cl.inputHeight(), cl.inputWidth(), 1);
            AreaResampler rgb = new AreaResampler(28, 28, 3);
            byte[] px = new byte[gray.outputBytes()];
            byte[] px3 = new byte[rgb.outputBytes()];
            ClassificationJson json = new ClassificationJson(cl.modelName(), cl.modelSha256(), "test");
            for (int i = 0; i < 3000; i++) { // warm up: plans, JIT
                gray.process(camera, px, 0);
                rgb.process(i420, px3, 0);
                json.classification(i, System.currentTimeMillis(), cl.classify(px, 0), 1000, "camera");
            }
            // Best of five rounds: a late JIT recompilation can allocate once (seen: 288 bytes in one
            // CI run); a per-frame allocation shows in every round.
            dev.edgeq.runtime.testing.Allocations.assertAllocatesNothing(5, () -> {
                for (int i = 0; i < 1000; i++) {
                    gray.process(camera, px, 0);
                    rgb.process(i420, px3, 0);
                    json.classification(i, System.currentTimeMillis(), cl.classify(px, 0), 1000, "camera");
                }
            }, "bytes allocated over 1000 frames (640x480 gray + 224x224 I420 preprocessing + inference + message JSON)");
        }
    }
}
