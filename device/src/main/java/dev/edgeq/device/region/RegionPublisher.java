package dev.edgeq.device.region;

import dev.edgeq.device.loop.ClassificationJson;
import dev.edgeq.device.loop.ClassificationLoop;
import dev.edgeq.device.loop.FrameClassifier;
import dev.edgeq.device.mqtt.MqttPublisher;
import dev.edgeq.device.mqtt.Outbox;
import dev.edgeq.device.snapshot.Snapshots;
import dev.edgeq.imaging.Frame;
import dev.edgeq.device.state.StateJson;

import java.io.IOException;
import java.util.List;

/**
 * The loop's MQTT side: classifications of region NAME go through the outbox to
 * {@code ROOT/classification/NAME} (the center region: {@code ROOT/classification}); a stable state change is
 * published retained on {@code ROOT/state/NAME} and published again after every reconnect (a retained state
 * is about now, so it is not queued while offline: the latest one is sent when the connection is back).
 */
public final class RegionPublisher implements ClassificationLoop.Sink {
    private final Outbox outbox;
    private final MqttPublisher mqtt;
    private final int qos;
    private final String source;
    private final String[] classificationTopics;
    private final String[] stateTopics;
    private final byte[][] lastState;
    private volatile ClassificationJson json;
    private volatile String modelName;
    private volatile long lastSeq = -1;
    private volatile Snapshots snapshots;

    public RegionPublisher(List<Region> regions, String topicRoot, Outbox outbox, MqttPublisher mqtt, int qos,
                           FrameClassifier classifier, String source) {
        this.outbox = outbox;
        this.mqtt = mqtt;
        this.qos = qos;
        this.source = source;
        classificationTopics = new String[regions.size()];
        stateTopics = new String[regions.size()];
        lastState = new byte[regions.size()][];
        for (int i = 0; i < regions.size(); i++) {
            classificationTopics[i] = topicRoot + "classification" + regions.get(i).topicSuffix();
            stateTopics[i] = topicRoot + "state" + regions.get(i).topicSuffix();
        }
        modelChanged(classifier);
    }

    /** Takes a snapshot on each state change and serves snapshot requests; null: none. */
    public void snapshots(Snapshots s) {
        this.snapshots = s;
    }

    @Override
    public void publish(int region, FrameClassifier.Result r, long latencyNanos, String frameOrigin) throws IOException {
        long seq = outbox.nextSeq();
        outbox.append(seq, classificationTopics[region], qos, false,
                json.classification(seq, System.currentTimeMillis(), r, latencyNanos, frameOrigin).toBytes());
        lastSeq = seq;
        mqtt.signal();
    }

    @Override
    public void stateChanged(int region, String label, float score, Frame frame) {
        byte[] payload = StateJson.build(label, score, System.currentTimeMillis(), modelName);
        synchronized (lastState) {
            lastState[region] = payload;
        }
        mqtt.publishDirect(stateTopics[region], payload, 1, true);
        Snapshots s = snapshots;
        if (s != null) s.take(region, frame, label);
    }

    @Override
    public void frameDone(Frame frame) {
        Snapshots s = snapshots;
        if (s != null) s.frameDone(frame);
    }

    @Override
    public void modelChanged(FrameClassifier classifier) {
        modelName = classifier.modelName();
        json = new ClassificationJson(classifier.modelName(), classifier.modelSha256(), source);
    }

    /** Publishes the current states again (call on every connect: what changed while offline is sent now). */
    public void republishStates() {
        synchronized (lastState) {
            for (int i = 0; i < lastState.length; i++) {
                if (lastState[i] != null) mqtt.publishDirect(stateTopics[i], lastState[i], 1, true);
            }
        }
    }

    /** The seq of the last classification handed to the outbox, or -1. */
    public long lastSeq() { return lastSeq; }
}
