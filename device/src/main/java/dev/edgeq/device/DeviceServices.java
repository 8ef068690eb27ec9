package dev.edgeq.device;

import dev.edgeq.device.command.DeviceCommands;
import dev.edgeq.device.config.DeviceConfig;
import dev.edgeq.device.loop.FrameClassifier;
import dev.edgeq.device.loop.PublishPolicy;
import dev.edgeq.device.mqtt.MqttPublisher;
import dev.edgeq.device.mqtt.Outbox;
import dev.edgeq.device.region.Region;
import dev.edgeq.device.region.RegionPublisher;
import dev.edgeq.device.region.RegionRunner;
import dev.edgeq.device.snapshot.Snapshots;
import dev.edgeq.device.update.ModelCheck;
import dev.edgeq.device.update.ModelInfo;
import dev.edgeq.device.update.ModelStartup;
import dev.edgeq.device.update.ModelStore;
import dev.edgeq.device.update.ModelUpdater;
import dev.edgeq.device.update.SigningKeys;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * What {@link DeviceDaemon} runs around its source, loop and MQTT connection, built from the settings for one
 * run: the regions with their classification, state and snapshot topics ({@link RegionRunner},
 * {@link RegionPublisher}, {@link Snapshots}), the {@code set/...} commands and the model updates
 * ({@link ModelUpdater}). The daemon calls {@link #onConnect} after each connect and offers each received
 * message to {@link #handle}.
 */
final class DeviceServices implements AutoCloseable {
    final List<Region> regions;
    final RegionRunner runner;
    final RegionPublisher publisher;
    final ModelUpdater updater;
    private final Snapshots snapshots;
    private final DeviceCommands commands;
    private final MqttPublisher mqtt;
    private final String modelSetTopic;

    DeviceServices(DeviceConfig cfg, FrameClassifier classifier, ModelInfo modelInfo, String root, Outbox outbox, MqttPublisher mqtt,
                   String sourceName, Consumer<String> log) throws IOException {
        this.mqtt = mqtt;
        this.modelSetTopic = root + "model/set";
        regions = Region.parseAll(cfg.regions);
        publisher = new RegionPublisher(regions, root, outbox, mqtt, cfg.qos, classifier, sourceName);
        runner = new RegionRunner(regions, classifier,
                () -> new PublishPolicy(cfg.publishesEveryFrame(), cfg.scoreDelta, cfg.heartbeat),
                new RegionRunner.Settings(cfg.minScore, cfg.stableFrames, cfg.interval, cfg.onMotion, cfg.motionThreshold));
        Path snapshotDir = cfg.snapshotDir != null ? Path.of(cfg.snapshotDir)
                : DeviceDaemon.defaultOutboxDir(cfg.effectiveDeviceId()).resolveSibling("snapshots");
        Snapshots.Settings snap = Snapshots.Settings.of(cfg.snapshot, snapshotDir, cfg.snapshotKeep, cfg.snapshotQuality,
                cfg.snapshotMaxBytes, cfg.snapshotFullFrame);
        snapshots = snap == null ? null : new Snapshots(snap, regions, root, (t, p) -> mqtt.publishDirect(t, p, 1, true), runner::cropRect, log);
        publisher.snapshots(snapshots);

        ModelInfo info = modelInfo != null ? modelInfo : ModelInfo.of(classifier.modelName(), classifier.modelSha256(), null, cfg.model);
        ModelCheck check = cfg.trustedKey == null ? null
                : new ModelCheck(SigningKeys.readPublic(Path.of(cfg.trustedKey)), cfg.modelMaxBytes, classifier.inputChannels(), cfg.topK);
        Path modelDir = DeviceDaemon.modelDir(cfg);
        updater = new ModelUpdater(check, new ModelStore(modelDir, log), cfg.modelMaxBytes, info,
                s -> mqtt.publishDirect(root + "model/status", s, 1, true), log);
        int channels = classifier.inputChannels();
        commands = new DeviceCommands(root, runner, snapshots,
                () -> updater.reload(() -> ModelStartup.open(cfg, modelDir, log), channels), log);
    }

    /** After each connect (on Paho's thread): subscriptions, and the retained messages that may have changed while offline. */
    void onConnect() {
        mqtt.subscribe(commands.filter(), 1);
        mqtt.subscribe(modelSetTopic, 1);
        mqtt.publishDirect(modelSetTopic.replace("model/set", "model/status"), updater.status(), 1, true);
        publisher.republishStates();
        if (snapshots != null) snapshots.republish();
    }

    /** Returns whether the message was for these services (model update or command). */
    boolean handle(String topic, byte[] payload) {
        if (topic.equals(modelSetTopic)) {
            updater.submit(payload);
            return true;
        }
        return commands.handle(topic, payload);
    }

    @Override
    public void close() {
        updater.close();
    }
}
