package dev.edgeq.device.region;

import dev.edgeq.device.loop.ClassificationLoop;
import dev.edgeq.device.loop.FrameClassifier;
import dev.edgeq.device.loop.PublishPolicy;
import dev.edgeq.imaging.Frame;
import dev.edgeq.device.state.StableState;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * The per-frame work of the loop for any number of regions: for each region, crop and resample it, decide
 * whether to classify it ({@code --interval}, {@code --on-motion}), classify it, hand the result to the sink
 * when the region's publish policy says so, and report state changes. Allocates nothing per frame (a test
 * measures it) until a message is published.
 */
public final class RegionRunner {

    /** When to classify and when a state changes. */
    public record Settings(double minScore, int stableFrames, double intervalSeconds, boolean onMotion, double motionThreshold) {
        public Settings {
            if (!(intervalSeconds >= 0)) throw new IllegalArgumentException("interval: expected >= 0 seconds, got " + intervalSeconds);
            if (!(motionThreshold >= 0 && motionThreshold <= 255)) {
                throw new IllegalArgumentException("motion-threshold: expected 0..255, got " + motionThreshold);
            }
        }
    }

    private final RegionPipeline[] pipes;
    private final Settings settings;
    private final long intervalNanos;
    private FrameClassifier classifier;
    private long lastInferenceNanos;
    private boolean anyInference;
    private volatile long inferenceSkipped;

    public RegionRunner(List<Region> regions, FrameClassifier classifier, Supplier<PublishPolicy> policies, Settings settings) {
        this.settings = settings;
        this.classifier = classifier;
        this.intervalNanos = (long) (settings.intervalSeconds() * 1e9);
        this.pipes = new RegionPipeline[regions.size()];
        for (int i = 0; i < pipes.length; i++) {
            pipes[i] = new RegionPipeline(regions.get(i), classifier.inputHeight(), classifier.inputWidth(),
                    classifier.inputChannels(), policies.get(), new StableState(settings.minScore(), settings.stableFrames()));
        }
    }

    /** Classifies the frame's regions with the current model; returns whether any region was classified. */
    public boolean process(Frame f, ClassificationLoop.Sink sink) throws IOException {
        long start = System.nanoTime();
        if (intervalNanos > 0 && anyInference && start - lastInferenceNanos < intervalNanos) {
            inferenceSkipped += pipes.length;
            return false;
        }
        boolean any = false;
        for (int i = 0; i < pipes.length; i++) {
            RegionPipeline p = pipes[i];
            p.resample(f);
            if (settings.onMotion()) {
                if (p.change() > settings.motionThreshold()) {
                    p.burstLeft = p.state.stableFrames();
                } else if (p.burstLeft == 0) {
                    inferenceSkipped++;
                    continue;
                }
                p.burstLeft--;
                p.rememberClassified();
            }
            FrameClassifier.Result r = classifier.classify(p.pixels, 0);
            any = true;
            long now = System.nanoTime();
            int top = r.index(0);
            float score = r.score(0);
            if (p.policy.shouldPublish(top, score, now)) sink.publish(i, r, now - f.captureNanos, f.origin);
            if (p.state.offer(top, score)) sink.stateChanged(i, r.label(0), score, f);
        }
        if (any) {
            anyInference = true;
            lastInferenceNanos = start;
        }
        return any;
    }

    /** Switches to another model between two frames; new buffers only if its input size differs. */
    public void useClassifier(FrameClassifier next) {
        boolean sameShape = next.inputHeight() == classifier.inputHeight() && next.inputWidth() == classifier.inputWidth()
                && next.inputChannels() == classifier.inputChannels();
        classifier = next;
        if (!sameShape) for (RegionPipeline p : pipes) p.reshape(next.inputHeight(), next.inputWidth(), next.inputChannels());
    }

    /** The region's rectangle in the last frame's pixels: x, y, w, h (zeros before the first frame). */
    public int[] cropRect(int region) { return pipes[region].resampler.cropRect(); }

    /** From any thread: every-frame or on-change publishing from the next frame on (set/publish). */
    public void publishEveryFrame(boolean everyFrame) {
        for (RegionPipeline p : pipes) p.policy.everyFrame(everyFrame);
    }

    public FrameClassifier classifier() { return classifier; }
    public int regionCount() { return pipes.length; }
    public Region region(int i) { return pipes[i].region; }
    /** Region-frames whose inference was skipped by --interval or --on-motion. */
    public long inferenceSkipped() { return inferenceSkipped; }
    /** The region's model-input pixels of the last frame (for tests and snapshots of what the model saw). */
    public byte[] pixels(int region) { return pipes[region].pixels; }
}
