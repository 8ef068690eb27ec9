package dev.edgeq.device.region;

import dev.edgeq.device.loop.ClassificationLoop;
import dev.edgeq.device.loop.FrameClassifier;
import dev.edgeq.device.loop.PublishPolicy;
import dev.edgeq.device.loop.RuntimeFrameClassifier;
import dev.edgeq.imaging.Frame;
import dev.edgeq.device.testing.BrightnessModel;
import dev.edgeq.runtime.testing.Allocations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Regions of a synthetic frame stream through the real runtime with a model whose answers are known. */
class RegionRunnerTest {
    @TempDir Path tmp;

    /** A 64x32 gray frame: left half at {@code left}, right half at {@code right}. */
    static Frame halves(int left, int right) {
        Frame f = new Frame();
        f.data = new byte[64 * 32];
        for (int y = 0; y < 32; y++) for (int x = 0; x < 64; x++) f.data[y * 64 + x] = (byte) (x < 32 ? left : right);
        f.setGray(64, 32, 64);
        f.origin = "synthetic";
        return f;
    }

    /** Records what the loop hands to MQTT. */
    static final class Recorder implements ClassificationLoop.Sink {
        final List<String> published = new ArrayList<>();
        final List<String> states = new ArrayList<>();
        @Override public void publish(int region, FrameClassifier.Result r, long latency, String origin) {
            published.add(region + ":" + r.label(0));
        }
        @Override public void stateChanged(int region, String label, float score, Frame frame) {
            states.add(region + ":" + label);
        }
    }

    private RegionRunner runner(FrameClassifier cl, List<Region> regions, boolean everyFrame, RegionRunner.Settings s) {
        return new RegionRunner(regions, cl, () -> new PublishPolicy(everyFrame, 0.15, 0), s);
    }

    private static final List<Region> LEFT_RIGHT = List.of(Region.parse("left:0,0,0.5,1"), Region.parse("right:32,0,32,32"));

    @Test
    void twoRegionsGetIndependentLabelsAndStatesAndOneOutlierDoesNotFlipAState() throws Exception {
        try (RuntimeFrameClassifier cl = RuntimeFrameClassifier.open(BrightnessModel.write(tmp.resolve("b.eqm")), 2)) {
            RegionRunner run = runner(cl, LEFT_RIGHT, true, new RegionRunner.Settings(0.8, 3, 0, false, 6));
            Recorder rec = new Recorder();
            Frame whiteBlack = halves(255, 0);
            Frame blackBlack = halves(0, 0);
            for (int i = 0; i < 2; i++) run.process(whiteBlack, rec);
            assertEquals(List.of("0:bright", "1:dark", "0:bright", "1:dark"), rec.published, "each region classified on its own");
            assertEquals(List.of(), rec.states, "no state before 3 agreeing frames");
            run.process(whiteBlack, rec);
            assertEquals(List.of("0:bright", "1:dark"), rec.states, "the third agreeing frame sets both states");
            run.process(blackBlack, rec); // one outlier on the left
            run.process(whiteBlack, rec);
            run.process(whiteBlack, rec);
            assertEquals(List.of("0:bright", "1:dark"), rec.states, "one outlier frame changes nothing");
            run.process(blackBlack, rec);
            run.process(blackBlack, rec);
            assertEquals(2, rec.states.size(), "two agreeing frames are not enough");
            run.process(blackBlack, rec);
            assertEquals(List.of("0:bright", "1:dark", "0:dark"), rec.states, "N agreeing frames change the left state only");
        }
    }

    @Test
    void framesBelowMinScoreNeverSetAState() throws Exception {
        try (RuntimeFrameClassifier cl = RuntimeFrameClassifier.open(BrightnessModel.write(tmp.resolve("b.eqm")), 2)) {
            RegionRunner run = runner(cl, List.of(Region.CENTER), true, new RegionRunner.Settings(0.8, 2, 0, false, 6));
            Recorder rec = new Recorder();
            Frame gray = halves(128, 128); // 50/50
            for (int i = 0; i < 10; i++) run.process(gray, rec);
            assertEquals(10, rec.published.size());
            assertEquals(List.of(), rec.states);
        }
    }

    @Test
    void onMotionSkipsAStillRegionAfterItsStateFormedAndWakesOnChange() throws Exception {
        try (RuntimeFrameClassifier cl = RuntimeFrameClassifier.open(BrightnessModel.write(tmp.resolve("b.eqm")), 2)) {
            RegionRunner run = runner(cl, LEFT_RIGHT, true, new RegionRunner.Settings(0.8, 3, 0, true, 6));
            Recorder rec = new Recorder();
            Frame still = halves(255, 0);
            for (int i = 0; i < 10; i++) run.process(still, rec);
            // first frame (no reference) + 2 more of the burst per region: enough for a state, then skipped
            assertEquals(6, rec.published.size(), rec.published.toString());
            assertEquals(List.of("0:bright", "1:dark"), rec.states);
            assertEquals(14, run.inferenceSkipped());
            Frame leftDark = halves(0, 0);
            for (int i = 0; i < 5; i++) run.process(leftDark, rec);
            assertEquals(List.of("0:bright", "1:dark", "0:dark"), rec.states, "motion on the left wakes the left region only");
            assertEquals(9, rec.published.size(), rec.published.toString());
        }
    }

    @Test
    void intervalSkipsFramesBetweenInferences() throws Exception {
        try (RuntimeFrameClassifier cl = RuntimeFrameClassifier.open(BrightnessModel.write(tmp.resolve("b.eqm")), 2)) {
            RegionRunner run = runner(cl, List.of(Region.CENTER), true, new RegionRunner.Settings(0.8, 3, 3600, false, 6));
            Recorder rec = new Recorder();
            for (int i = 0; i < 5; i++) run.process(halves(255, 255), rec);
            assertEquals(1, rec.published.size());
            assertEquals(4, run.inferenceSkipped());
        }
    }

    @Test
    void perFramePathAllocatesNothingForManyRegions() throws Exception {
        try (RuntimeFrameClassifier cl = RuntimeFrameClassifier.open(BrightnessModel.write(tmp.resolve("b.eqm")), 2)) {
            List<Region> eight = new ArrayList<>();
            for (int i = 0; i < 8; i++) eight.add(Region.parse("r" + i + ":" + (i * 8) + ",0,8,32"));
            for (boolean motion : new boolean[] {false, true}) {
                RegionRunner run = runner(cl, eight, false, new RegionRunner.Settings(0.8, 3, 0, motion, 6));
                Recorder rec = new Recorder();
                Frame f = halves(255, 0);
                for (int i = 0; i < 3000; i++) run.process(f, rec); // warm up: plans, JIT, first publish, states
                Allocations.assertAllocatesNothing(5, () -> {
                    try {
                        for (int i = 0; i < 1000; i++) run.process(f, rec);
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }, "bytes allocated over 1000 frames of 8 regions (on-motion " + motion + ")");
            }
        }
    }

    @Test
    void aRegionIsResampledFromItsOwnPixelsNormalizedOrInPixels() {
        // 40x20: the left 10 columns white, the rest black
        Frame f = new Frame();
        f.data = new byte[40 * 20];
        for (int y = 0; y < 20; y++) for (int x = 0; x < 10; x++) f.data[y * 40 + x] = (byte) 255;
        f.setGray(40, 20, 40);
        byte[] out = new byte[4 * 4];
        dev.edgeq.imaging.AreaResampler left = new dev.edgeq.imaging.AreaResampler(4, 4, 1, Region.parse("l:0,0,0.25,1").window());
        left.process(f, out, 0);
        for (byte b : out) assertEquals(255, b & 0xFF);
        assertEquals(List.of(0, 0, 10, 20), java.util.Arrays.stream(left.cropRect()).boxed().toList());
        dev.edgeq.imaging.AreaResampler right = new dev.edgeq.imaging.AreaResampler(4, 4, 1, Region.parse("r:30,0,10,20").window());
        right.process(f, out, 0);
        for (byte b : out) assertEquals(0, b);
        dev.edgeq.imaging.AreaResampler edge = new dev.edgeq.imaging.AreaResampler(1, 2, 1, Region.parse("e:5,0,10,20").window());
        byte[] two = new byte[2];
        edge.process(f, two, 0);
        assertEquals(255, two[0] & 0xFF, "columns 5..9 white");
        assertEquals(0, two[1], "columns 10..14 black");
    }

    @Test
    void regionSpecsAreCheckedWithClearMessages() {
        Region px = Region.parse("door:10,20,30,40");
        assertEquals("door", px.name());
        assertTrue(!px.window().normalized());
        assertTrue(Region.parse("a:0.1,0.2,0.3,0.4").window().normalized());
        assertEquals("region 'x:0.5,0,0.6,1': normalized crop window 0.5,0.0,0.6,1.0 reaches outside the frame (x + w and y + h must be <= 1)",
                assertThrows(IllegalArgumentException.class, () -> Region.parse("x:0.5,0,0.6,1")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Region.parse("bad/name:0,0,1,1")).getMessage().contains("name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Region.parse("a:0.5,0,10,10")).getMessage().contains("mixes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Region.parse("a:1,2,3")).getMessage().contains("4 numbers"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Region.parseAll(List.of("a:0,0,1,1", "a:0,0,0.5,0.5")))
                .getMessage().contains("used twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Region.parse("big:0,0,100,10").window().resolve(64, 32))
                .getMessage().contains("does not fit in a 64x32 frame"));
    }
}
