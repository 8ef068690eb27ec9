package dev.edgeq.device.loop;

import dev.edgeq.device.region.RegionRunner;
import dev.edgeq.imaging.Frame;
import dev.edgeq.device.source.FrameSource;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The device loop: a source thread reads frames into a {@link FrameHandoff}; the calling thread takes the
 * latest and hands it to the {@link RegionRunner} (crop, resample and classify each region, publish per
 * policy). Between two frames it swaps in a new model when its {@link ModelSource} has one. Per frame,
 * nothing is allocated until a message is actually published.
 */
public final class ClassificationLoop {

    /** Receives the classifications to publish; {@code region} indexes the loop's regions. Called on the loop thread. */
    public interface Sink {
        void publish(int region, FrameClassifier.Result result, long latencyNanos, String frameOrigin) throws IOException;

        /** The region's stable state changed; {@code frame} is valid only during the call. */
        default void stateChanged(int region, String label, float score, Frame frame) throws IOException {}

        /** After each frame, classified or skipped; {@code frame} is valid only during the call. Must not allocate. */
        default void frameDone(Frame frame) throws IOException {}

        /** A new model is in use from the next classification on. */
        default void modelChanged(FrameClassifier classifier) {}
    }

    /** Hands a new model to the loop, which swaps it in between two frames. */
    public interface ModelSource {
        /** The model to switch to, or null; polled once per frame, so it must be cheap and must not allocate. */
        FrameClassifier takePending();

        /** Called on the loop thread once {@code next} replaced {@code previous}. */
        default void swapped(FrameClassifier previous, FrameClassifier next) {}
    }

    private final FrameSource source;
    private final RegionRunner runner;
    private final Sink sink;
    private volatile ModelSource models = () -> null;
    private final long minFrameNanos;
    private final Consumer<String> log;
    private final FrameHandoff handoff;
    private final LatencyRecorder latencies = new LatencyRecorder();
    private final AtomicLong frames = new AtomicLong();
    private volatile boolean stopped;
    private volatile Exception sourceError;
    private Thread producer;

    public ClassificationLoop(FrameSource source, RegionRunner runner, Sink sink, double maxFps, Consumer<String> log) {
        this.source = source;
        this.runner = runner;
        this.sink = sink;
        this.minFrameNanos = maxFps > 0 ? (long) (1e9 / maxFps) : 0;
        this.log = log;
        this.handoff = new FrameHandoff(source.isLive());
    }

    /** Where new models come from (model updates); set before {@link #run}. */
    public void models(ModelSource m) {
        this.models = m;
    }

    /** Runs until the source ends or {@link #stop} is called; rethrows a source failure. */
    public void run() throws Exception {
        producer = new Thread(this::produce, "frame-source");
        producer.setDaemon(true);
        producer.start();
        long lastStart = 0;
        try {
            while (true) {
                if (minFrameNanos > 0 && lastStart != 0) {
                    long wait = lastStart + minFrameNanos - System.nanoTime();
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                Frame f = handoff.take(250);
                if (f == null) {
                    if (handoff.isEndedAndEmpty() || stopped) break;
                    continue;
                }
                lastStart = System.nanoTime();
                FrameClassifier next = models.takePending();
                if (next != null) {
                    FrameClassifier previous = runner.classifier();
                    runner.useClassifier(next);
                    sink.modelChanged(next);
                    models.swapped(previous, next);
                }
                if (runner.process(f, sink)) latencies.record(System.nanoTime() - f.captureNanos);
                sink.frameDone(f);
                frames.incrementAndGet();
            }
        } finally {
            stop();
            producer.join(3000);
        }
        if (sourceError != null) throw sourceError;
    }

    private void produce() {
        try {
            while (!stopped) {
                Frame f = handoff.writable();
                if (!source.next(f)) break;
                if (!handoff.publish(f)) break;
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (Exception e) {
            if (!stopped) {
                sourceError = e;
                log.accept("source " + source.describe() + " failed: " + e.getMessage());
            }
        } finally {
            handoff.end();
        }
    }

    /** Stops the source and ends the loop after the frame in progress. Any thread. */
    public void stop() {
        stopped = true;
        handoff.end();
        source.close();
    }

    public long frames() { return frames.get(); }
    public long dropped() { return handoff.dropped(); }
    public RegionRunner runner() { return runner; }
    public LatencyRecorder latencies() { return latencies; }
    public FrameSource source() { return source; }
}
