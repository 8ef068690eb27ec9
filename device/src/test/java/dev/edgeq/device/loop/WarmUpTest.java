package dev.edgeq.device.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up warm-up of edgeq run: runs before the first frame, changes no result, ends with close(). */
class WarmUpTest {
    private static final Path MODEL = Path.of("..", "models", "fashion-seedcnn.eqm");

    @Test
    void firstFrameWaitsForTheWarmUpAndGetsTheColdResult() throws Exception {
        byte[] pixels = new byte[28 * 28];
        new Random(5).nextBytes(pixels);
        List<String> log = new CopyOnWriteArrayList<>();
        try (RuntimeFrameClassifier cold = RuntimeFrameClassifier.open(MODEL, 3);
             RuntimeFrameClassifier warm = RuntimeFrameClassifier.open(MODEL, 3, 2)) {
            warm.startWarmUp(log::add);
            FrameClassifier.Result w = warm.classify(pixels, 0);
            assertEquals(1, log.size(), "the warm-up reported before the first frame was classified: " + log);
            assertTrue(log.get(0).matches("model warmed up: [1-9][0-9]* inferences in [0-9]+ ms"), log.get(0));
            int wIndex = w.index(0);
            float wScore = w.score(0);
            FrameClassifier.Result c = cold.classify(pixels, 0);
            assertEquals(c.index(0), wIndex);
            assertEquals(c.score(0), wScore, 0f, "2 threads after a warm-up, 1 thread cold: same bits");
        }
    }

    @Test
    void closeWaitsForTheWarmUp() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        RuntimeFrameClassifier c = RuntimeFrameClassifier.open(MODEL, 3);
        c.startWarmUp(log::add);
        c.close();
        assertEquals(1, log.size(), "close() waited for the warm-up thread: " + log);
    }
}
