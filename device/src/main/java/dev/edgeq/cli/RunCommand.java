package dev.edgeq.cli;

import dev.edgeq.device.DeviceDaemon;
import dev.edgeq.device.config.DeviceConfig;
import dev.edgeq.device.loop.FrameClassifier;
import dev.edgeq.device.update.ModelInfo;
import dev.edgeq.device.update.ModelStartup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code edgeq run}: the device daemon. Settings come from {@code --config FILE} (YAML, see
 * tools/device.example.yaml) and flags; a flag overrides the file.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Classify camera frames or images with an edgeq model and publish the results over MQTT.",
                "Without --broker an embedded broker is started on 127.0.0.1. See docs/device.md."})
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML settings file (flags override it)")
    Path config;
    @Option(names = "--model", paramLabel = "FILE", description = "int8 or float .eqm model")
    String model;
    @Option(names = "--source", paramLabel = "SPEC", description = "rpicam | libcamera | v4l2:/dev/videoN | dir:PATH | file:A,B,... (default rpicam)")
    String source;
    @Option(names = "--once", description = "dir:/file: sources: classify the images there, deliver, and exit (no watching)")
    boolean once;
    @Option(names = "--print", description = "also subscribe to the topic root and print every message received, one line each")
    boolean print;
    @Option(names = "--broker", paramLabel = "URL", description = "tcp://HOST:1883 or ssl://HOST:8883 (default: embedded broker)")
    String broker;
    @Option(names = "--embedded-port", paramLabel = "PORT", description = "port of the embedded broker (default 1883; a free one if taken)")
    Integer embeddedPort;
    @Option(names = "--device-id", paramLabel = "ID", description = "default: the host name")
    String deviceId;
    @Option(names = "--topic-root", paramLabel = "ROOT", description = "default edgeq/<device-id>/")
    String topicRoot;
    @Option(names = "--publish", paramLabel = "MODE", description = "every-frame | on-change (default: every-frame for dir:/file:, on-change for cameras)")
    String publish;
    @Option(names = "--score-delta", paramLabel = "D", description = "on-change: publish when the top score moved more than this (default 0.15)")
    Double scoreDelta;
    @Option(names = "--heartbeat", paramLabel = "SECONDS", description = "on-change: publish at least this often (default 60; 0 = never)")
    Double heartbeat;
    @Option(names = "--qos", description = "0, 1 or 2 (default 1)")
    Integer qos;
    @Option(names = "--top-k", paramLabel = "K", description = "classes per message (default 3)")
    Integer topK;
    @Option(names = "--username")
    String username;
    @Option(names = "--password-env", paramLabel = "VAR", description = "environment variable holding the MQTT password")
    String passwordEnv;
    @Option(names = "--ca", paramLabel = "PEM", description = "CA certificate(s) to trust for ssl://")
    String ca;
    @Option(names = "--cert", paramLabel = "PEM", description = "client certificate for mutual TLS")
    String cert;
    @Option(names = "--key", paramLabel = "PEM", description = "client private key (PKCS#8 or PKCS#1 RSA) for mutual TLS")
    String key;
    @Option(names = "--outbox-dir", paramLabel = "DIR", description = "on-disk outbox (default $XDG_STATE_HOME/edgeq/<id>/outbox)")
    String outboxDir;
    @Option(names = "--outbox-max", paramLabel = "N", description = "most messages kept while offline; older ones are dropped and counted (default 10000)")
    Integer outboxMax;
    @Option(names = "--outbox-fsync", paramLabel = "always|never", description = "fsync each outbox entry (default always)")
    String outboxFsync;
    @Option(names = "--stats-interval", paramLabel = "SECONDS", description = "stats message period (default 30; 0 = off)")
    Double statsInterval;
    @Option(names = "--max-fps", paramLabel = "FPS", description = "classify at most this many frames per second (default: no cap)")
    Double maxFps;
    @Option(names = "--width", description = "camera frame width (default 640)")
    Integer width;
    @Option(names = "--height", description = "camera frame height (default 480)")
    Integer height;
    @Option(names = "--framerate", description = "camera frame rate (default 15)")
    Integer framerate;
    @Option(names = "--camera-command", paramLabel = "CMD", description = "rpicam-vid (default) or libcamera-vid, or a path")
    String cameraCommand;
    @Option(names = "--camera-arg", paramLabel = "ARG", description = "extra argument for the camera command (repeatable)")
    List<String> cameraArgs;
    @Option(names = "--stride-align", paramLabel = "N", description = "I420 row alignment: 64 (Pi 0-4), 128 (Pi 5); default: detected")
    Integer strideAlign;
    @Option(names = "--ffmpeg", paramLabel = "CMD", description = "ffmpeg executable for v4l2: sources")
    String ffmpeg;
    @Option(names = "--no-home-assistant", description = "do not publish Home Assistant discovery")
    boolean noHomeAssistant;
    @Option(names = "--region", paramLabel = "NAME:x,y,w,h", description = "classify this part of the frame on its own (repeatable; fractions 0..1 or pixels); default: the center crop")
    List<String> regions;
    @Option(names = "--min-score", paramLabel = "S", description = "state: the top-1 score a frame needs to count (default 0.8)")
    Double minScore;
    @Option(names = "--stable-frames", paramLabel = "N", description = "state: changes after N consecutive agreeing frames (default 3)")
    Integer stableFrames;
    @Option(names = "--interval", paramLabel = "SECONDS", description = "classify at most every S seconds (default 0: every frame)")
    Double interval;
    @Option(names = "--on-motion", description = "classify a region only when it changed (see --motion-threshold)")
    boolean onMotion;
    @Option(names = "--motion-threshold", paramLabel = "LEVELS", description = "on-motion: mean absolute change, 0..255 levels (default 6)")
    Double motionThreshold;
    @Option(names = "--trusted-key", paramLabel = "PEM", description = "Ed25519 public key (edgeq keygen) that model updates on model/set must be signed with")
    String trustedKey;
    @Option(names = "--snapshot", paramLabel = "MODE", description = "on a state change, a JPEG of the region: mqtt (retained on snapshot/NAME), dir, both, off (default mqtt)")
    String snapshot;
    @Option(names = "--snapshot-dir", paramLabel = "DIR", description = "folder for --snapshot dir|both (default $XDG_STATE_HOME/edgeq/<id>/snapshots)")
    String snapshotDir;
    @Option(names = "--snapshot-keep", paramLabel = "N", description = "newest snapshots kept in the folder (default 100)")
    Integer snapshotKeep;
    @Option(names = "--snapshot-quality", paramLabel = "Q", description = "JPEG quality 0..1 (default 0.8)")
    Double snapshotQuality;
    @Option(names = "--snapshot-max-bytes", paramLabel = "N", description = "largest snapshot (default 262144): lower quality, then smaller, until it fits")
    Integer snapshotMaxBytes;
    @Option(names = "--snapshot-full-frame", description = "also a JPEG of the whole frame on snapshot-frame/NAME")
    boolean snapshotFullFrame;
    @Option(names = "--model-dir", paramLabel = "DIR", description = "where accepted model updates are kept (default $XDG_STATE_HOME/edgeq/<id>/models)")
    String modelDir;
    /** The edgeq command, for its inherited --debug (null when this command runs on its own). */
    @picocli.CommandLine.ParentCommand
    Main parent;

    /** The settings after applying flags over the config file. */
    public DeviceConfig settings() throws IOException {
        DeviceConfig c = config != null ? DeviceConfig.load(config) : new DeviceConfig();
        if (model != null) c.model = model;
        if (source != null) c.source = source;
        if (broker != null) c.broker = broker;
        if (embeddedPort != null) c.embeddedPort = embeddedPort;
        if (deviceId != null) c.deviceId = deviceId;
        if (topicRoot != null) c.topicRoot = topicRoot;
        if (publish != null) c.publish = publish;
        if (scoreDelta != null) c.scoreDelta = scoreDelta;
        if (heartbeat != null) c.heartbeat = heartbeat;
        if (qos != null) c.qos = qos;
        if (topK != null) c.topK = topK;
        if (username != null) c.username = username;
        if (passwordEnv != null) c.passwordEnv = passwordEnv;
        if (ca != null) c.ca = ca;
        if (cert != null) c.cert = cert;
        if (key != null) c.key = key;
        if (outboxDir != null) c.outboxDir = outboxDir;
        if (outboxMax != null) c.outboxMax = outboxMax;
        if (outboxFsync != null) c.outboxFsync = outboxFsync;
        if (statsInterval != null) c.statsInterval = statsInterval;
        if (maxFps != null) c.maxFps = maxFps;
        if (width != null) c.camera.width = width;
        if (height != null) c.camera.height = height;
        if (framerate != null) c.camera.framerate = framerate;
        if (cameraCommand != null) c.camera.command = cameraCommand;
        if (cameraArgs != null) c.camera.extraArgs = cameraArgs;
        if (strideAlign != null) c.camera.strideAlign = strideAlign;
        if (ffmpeg != null) c.camera.ffmpeg = ffmpeg;
        if (noHomeAssistant) c.homeAssistant = false;
        if (regions != null) c.regions = regions;
        if (minScore != null) c.minScore = minScore;
        if (stableFrames != null) c.stableFrames = stableFrames;
        if (interval != null) c.interval = interval;
        if (onMotion) c.onMotion = true;
        if (motionThreshold != null) c.motionThreshold = motionThreshold;
        if (trustedKey != null) c.trustedKey = trustedKey;
        if (modelDir != null) c.modelDir = modelDir;
        if (snapshot != null) c.snapshot = snapshot;
        if (snapshotDir != null) c.snapshotDir = snapshotDir;
        if (snapshotKeep != null) c.snapshotKeep = snapshotKeep;
        if (snapshotQuality != null) c.snapshotQuality = snapshotQuality;
        if (snapshotMaxBytes != null) c.snapshotMaxBytes = snapshotMaxBytes;
        if (snapshotFullFrame) c.snapshotFullFrame = true;
        return c;
    }

    static Consumer<String> stderrLog() {
        DateTimeFormatter f = DateTimeFormatter.ofPattern("HH:mm:ss");
        return msg -> {
            synchronized (System.err) {
                System.err.println(LocalTime.now().format(f) + " edgeq: " + msg);
            }
        };
    }

    /** Keeps the embedded broker's and Netty's libraries quiet unless asked (slf4j-simple reads these once). */
    static void quietLibraries() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    }

    @Override
    public Integer call() {
        boolean debug = parent != null && parent.debug;
        quietLibraries();
        Consumer<String> log = stderrLog();
        DeviceConfig c;
        ModelStartup.Chosen chosen;
        try {
            c = settings();
            c.validate();
            c.validateRegionsAndUpdates();
            if (once && !(c.source.startsWith("dir:") || c.source.startsWith("file:"))) {
                throw new IllegalArgumentException("--once works with dir: and file: sources only");
            }
            Path modelFile = Path.of(c.model);
            if (!java.nio.file.Files.isRegularFile(modelFile)) {
                throw new IllegalArgumentException("model file not found: " + modelFile);
            }
            try {
                chosen = ModelStartup.open(c, DeviceDaemon.modelDir(c), log);
            } catch (IOException e) {
                throw new IOException("cannot read model " + modelFile + ": " + e.getMessage(), e);
            }
        } catch (IllegalArgumentException e) {
            return fail("edgeq run: " + e.getMessage(), e, 2, debug);
        } catch (Exception e) {
            return fail("edgeq run: " + e.getMessage(), e, 1, debug);
        }
        return runDaemon(c, chosen.classifier(), chosen.info(), once, print, log, debug);
    }

    /** Runs the daemon with a SIGTERM hook; shared with tests that launch it in a child JVM. */
    public static int runDaemon(DeviceConfig c, FrameClassifier classifier, ModelInfo info, boolean once, boolean print,
                                Consumer<String> log, boolean debug) {
        DeviceDaemon daemon = new DeviceDaemon(c, classifier, new DeviceDaemon.Options(once, print, System.out, 30_000), log)
                .modelInfo(info);
        Thread hook = new Thread(() -> daemon.stopAndWait(10_000), "edgeq-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return daemon.run();
        } catch (Exception e) {
            System.err.println("edgeq run: " + e.getMessage());
            if (debug) e.printStackTrace();
            return 1;
        } finally {
            classifier.close();
        }
    }

    private static int fail(String message, Exception e, int code, boolean debug) {
        System.err.println(message);
        if (debug) e.printStackTrace();
        return code;
    }
}
