package dev.edgeq.device.loop;

import dev.edgeq.imaging.Frame;
import dev.edgeq.imaging.AreaResampler;
import dev.edgeq.device.source.FrameSource;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The device loop: a source thread reads frames into a {@link FrameHandoff}; the calling thread takes the
 * latest, preprocesses it into one preallocated pixel buffer ({@link AreaResampler}), classifies it, and
 * hands the result to a {@link Sink} when the {@link PublishPolicy} says so. Per frame, nothing is
 * allocated until a message is actually published.
 */
public final class ClassificationLoop {

    /** Receives the classifications to publish. */
    public interface Sink {
        void publish(FrameClassifier.Result result, long latencyNanos, String frameOrigin) throws IOException;
    }

    private final FrameSource source;
    private final FrameClassifier classifier;
    private final PublishPolicy policy;
    private final Sink sink;
    private final long minFrameNanos;
    private final Consumer<String> log;
    private final FrameHandoff handoff;
    private final AreaResampler resampler;
    private final byte[] pixels;
    private final LatencyRecorder latencies = new LatencyRecorder();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong publishedCount = new AtomicLong();
    private volatile boolean stopped;
    private volatile Exception sourceError;
    private Thread producer;

    public ClassificationLoop(FrameSource source, FrameClassifier classifier, PublishPolicy policy, Sink sink,
                              double maxFps, Consumer<String> log) {
        this.source = source;
        this.classifier = classifier;
        this.policy = policy;
        this.sink = sink;
        this.minFrameNanos = maxFps > 0 ? (long) (1e9 / maxFps) : 0;
        this.log = log;
        this.handoff = new FrameHandoff(source.isLive());
        this.resampler = new AreaResampler(classifier.inputHeight(), classifier.inputWidth(), classifier.inputChannels());
        this.pixels = new byte[resampler.outputBytes()];
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
                resampler.process(f, pixels, 0);
                FrameClassifier.Result r = classifier.classify(pixels, 0);
                long now = System.nanoTime();
                long latency = now - f.captureNanos;
                latencies.record(latency);
                frames.incrementAndGet();
                if (policy.shouldPublish(r.index(0), r.score(0), now)) {
                    sink.publish(r, latency, f.origin);
                    publishedCount.incrementAndGet();
                }
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
    public long handedToSink() { return publishedCount.get(); }
    public LatencyRecorder latencies() { return latencies; }
    public FrameSource source() { return source; }
}
