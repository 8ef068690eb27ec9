package dev.edgeq.device.command;

import dev.edgeq.device.LogText;
import dev.edgeq.device.region.RegionRunner;
import dev.edgeq.device.snapshot.Snapshots;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The documented commands on {@code ROOT/set/...} (docs/device.md):
 * <ul>
 * <li>{@code set/publish} {@code every-frame | on-change}: the publish mode, for every region;</li>
 * <li>{@code set/snapshot} {@code NAME | all | (empty)}: a snapshot of that region (or all) at the next frame;</li>
 * <li>{@code set/model-reload} (any payload): reload the model the device would start with.</li>
 * </ul>
 * Anything else is ignored and logged once per topic; a known command with a bad payload is logged each
 * time (it is a person's mistake, worth seeing). Called on the MQTT client's thread: nothing here blocks.
 */
public final class DeviceCommands {
    private final String prefix;
    private final RegionRunner runner;
    private final Snapshots snapshots;
    private final Runnable reloadModel;
    private final Consumer<String> log;
    private final Set<String> unknownSeen = ConcurrentHashMap.newKeySet();

    /** {@code snapshots} may be null (snapshots off). */
    public DeviceCommands(String topicRoot, RegionRunner runner, Snapshots snapshots, Runnable reloadModel, Consumer<String> log) {
        this.prefix = topicRoot + "set/";
        this.runner = runner;
        this.snapshots = snapshots;
        this.reloadModel = reloadModel;
        this.log = log;
    }

    /** The topic filter to subscribe to. */
    public String filter() {
        return prefix + "#";
    }

    /** Returns whether the topic was a command topic (handled or ignored). */
    public boolean handle(String topic, byte[] payload) {
        if (!topic.startsWith(prefix)) return false;
        String command = topic.substring(prefix.length());
        String arg = new String(payload, StandardCharsets.UTF_8).trim();
        switch (command) {
            case "publish" -> {
                if (arg.equals("every-frame") || arg.equals("on-change")) {
                    runner.publishEveryFrame(arg.equals("every-frame"));
                    log.accept("command: publish " + arg);
                } else {
                    log.accept("command set/publish: expected every-frame or on-change, got '" + LogText.oneLine(arg) + "'; ignored");
                }
            }
            case "snapshot" -> {
                if (snapshots == null) {
                    log.accept("command set/snapshot: snapshots are off (snapshot: off); ignored");
                } else if (!snapshots.request(arg.isEmpty() ? null : arg)) {
                    log.accept("command set/snapshot: no region named '" + LogText.oneLine(arg) + "'; ignored");
                }
            }
            case "model-reload" -> {
                log.accept("command: model reload");
                reloadModel.run();
            }
            default -> {
                if (unknownSeen.size() < 1000 && unknownSeen.add(command)) {
                    log.accept("unknown command topic " + LogText.oneLine(topic) + " ignored (known: set/publish, set/snapshot, set/model-reload);"
                            + " further messages on it are ignored silently");
                }
            }
        }
        return true;
    }
}
