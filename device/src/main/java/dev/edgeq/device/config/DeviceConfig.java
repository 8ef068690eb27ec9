package dev.edgeq.device.config;

import dev.edgeq.device.source.FrameSources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every setting of {@code edgeq run}. Read from YAML (kebab-case keys, see tools/device.example.yaml); each
 * field is also a command-line flag of the same name, and flags override the file.
 * Plain mutable fields on purpose: it is a settings bag filled once at start-up, then read.
 */
public final class DeviceConfig {
    public String model;
    /** rpicam | libcamera | v4l2:/dev/videoN | dir:PATH | file:A,B,... */
    public String source = "rpicam";
    public String deviceId;
    /** tcp://host:1883 or ssl://host:8883; null or "embedded" starts the embedded broker. */
    public String broker;
    public int embeddedPort = 1883;
    public String topicRoot;
    /** every-frame | on-change; unset: every-frame for dir:/file: sources (each image is news), on-change for cameras. */
    public String publish;
    public double scoreDelta = 0.15;
    public double heartbeat = 60;
    public int qos = 1;
    public int topK = 3;
    /** Threads one inference uses (intra-op parallelism; 1: the loop's own thread only). */
    public int threads = 1;
    public String username;
    /** Prefer passwordEnv; a password in the YAML file is accepted for convenience (keep the file 0600). */
    public String password;
    public String passwordEnv;
    public String ca;
    public String cert;
    public String key;
    public String outboxDir;
    public int outboxMax = 10000;
    /** always: fsync each outbox entry (survives power loss); never: survives process crashes only. */
    public String outboxFsync = "always";
    public double statsInterval = 30;
    public double maxFps = 0;
    public boolean homeAssistant = true;
    public String discoveryPrefix = "homeassistant";
    public Camera camera = new Camera();
    /** Regions NAME:x,y,w,h classified on their own (flag --region, repeatable); none: the center crop. */
    public List<String> regions = new ArrayList<>();
    /** A state changes after stable-frames consecutive frames with the same top-1 at min-score or more. */
    public double minScore = 0.8;
    public int stableFrames = 3;
    /** Classify at most every this many seconds (0: every frame). */
    public double interval = 0;
    /** Classify a region only when it changed by more than motion-threshold (mean 0..255 levels). */
    public boolean onMotion = false;
    public double motionThreshold = 6;
    /** PEM Ed25519 public key whose signatures model updates must carry; unset: updates refused. */
    public String trustedKey;
    /** Where accepted model updates are kept (default $XDG_STATE_HOME/edgeq/ID/models). */
    public String modelDir;
    /** Largest model update accepted, in bytes. */
    public long modelMaxBytes = 64L << 20;
    /** On a state change, a JPEG of the region: mqtt (retained on snapshot/NAME), dir, both or off. */
    public String snapshot = "mqtt";
    /** For snapshot dir/both (default $XDG_STATE_HOME/edgeq/ID/snapshots); keeps the newest snapshot-keep files. */
    public String snapshotDir;
    public int snapshotKeep = 100;
    /** JPEG quality 0..1. */
    public double snapshotQuality = 0.8;
    /** Largest snapshot in bytes: lower quality, then half size, until it fits. */
    public int snapshotMaxBytes = 256 * 1024;
    /** Also snapshot the whole frame (snapshot-frame/NAME) on a state change. */
    public boolean snapshotFullFrame = false;

    /** Camera settings for the rpicam and v4l2 sources. */
    public static final class Camera {
        public int width = 640;
        public int height = 480;
        public int framerate = 15;
        /** Command for the rpicam source: rpicam-vid (Bookworm) or libcamera-vid (Bullseye). */
        public String command = "rpicam-vid";
        public List<String> extraArgs = new ArrayList<>();
        /** Y row stride alignment in bytes: 64 (Pi 0-4), 128 (Pi 5), or 0 = auto from /proc/device-tree/model. */
        public int strideAlign = 0;
        /** For v4l2: the ffmpeg executable. */
        public String ffmpeg = "ffmpeg";
        /** Longest wait, in seconds, between restarts of a camera process that keeps dying. */
        public double restartDelayMax = 30;
    }

    /**
     * Reads a YAML settings file (kebab-case keys); settings it leaves out keep their defaults. Throws an
     * IOException naming the file, the setting and its line for an unknown or repeated key, a value of the
     * wrong kind or a YAML syntax error.
     */
    public static DeviceConfig load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("config file not found: " + file);
        }
        return YamlSettings.load(file, new DeviceConfig());
    }

    /** The effective device id: configured, else the host name, else "edgeq". */
    public String effectiveDeviceId() {
        if (deviceId != null && !deviceId.isBlank()) return deviceId;
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "edgeq";
            }
        }
        return host.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    public String effectiveTopicRoot() {
        String root = topicRoot == null || topicRoot.isBlank() ? "edgeq/" + effectiveDeviceId() + "/" : topicRoot;
        return root.endsWith("/") ? root : root + "/";
    }

    /** Checks values that cannot be checked by type; throws IllegalArgumentException naming the setting. */
    public void validate() {
        if (model == null) throw new IllegalArgumentException("no model: set --model or 'model:' in the config");
        if (publish != null && !publish.equals("every-frame") && !publish.equals("on-change")) {
            throw new IllegalArgumentException("publish: expected every-frame or on-change, got '" + publish + "'");
        }
        if (qos < 0 || qos > 2) throw new IllegalArgumentException("qos: expected 0, 1 or 2, got " + qos);
        if (topK < 1) throw new IllegalArgumentException("top-k: expected >= 1, got " + topK);
        if (threads < 1 || threads > dev.edgeq.runtime.Interpreter.Options.MAX_THREADS) {
            throw new IllegalArgumentException("threads: expected 1.." + dev.edgeq.runtime.Interpreter.Options.MAX_THREADS
                    + ", got " + threads);
        }
        if (outboxMax < 1) throw new IllegalArgumentException("outbox-max: expected >= 1, got " + outboxMax);
        if (!outboxFsync.equals("always") && !outboxFsync.equals("never")) {
            throw new IllegalArgumentException("outbox-fsync: expected always or never, got '" + outboxFsync + "'");
        }
        if (!usesEmbeddedBroker()) checkBrokerUrl(broker);
        if (embeddedPort < 0 || embeddedPort > 65535) {
            throw new IllegalArgumentException("embedded-port: expected 0 (any free port) to 65535, got " + embeddedPort);
        }
        notNegative("score-delta", scoreDelta);
        notNegative("heartbeat", heartbeat);
        notNegative("stats-interval", statsInterval);
        notNegative("max-fps", maxFps);
        if (camera.width < 1 || camera.height < 1) {
            throw new IllegalArgumentException("camera width and height: expected >= 1, got " + camera.width + "x" + camera.height);
        }
        if (camera.framerate < 1) throw new IllegalArgumentException("camera framerate: expected >= 1, got " + camera.framerate);
        if (camera.strideAlign < 0) throw new IllegalArgumentException("camera stride-align: expected 0 (detect), 64 or 128, got " + camera.strideAlign);
        if (!(camera.restartDelayMax >= 1) || Double.isInfinite(camera.restartDelayMax)) {
            throw new IllegalArgumentException("camera restart-delay-max: expected >= 1 (seconds), got " + camera.restartDelayMax);
        }
        FrameSources.checkSpec(source);
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("cert and key go together: set both for mutual TLS, or neither");
        }
        boolean tls = !usesEmbeddedBroker() && broker.startsWith("ssl://");
        if (!tls && (ca != null || cert != null || key != null)) {
            String which = ca != null ? "ca" : cert != null ? "cert" : "key";
            throw new IllegalArgumentException(which + ": TLS files need an ssl:// broker, but the broker is "
                    + (usesEmbeddedBroker() ? "the embedded one (plain tcp)" : "'" + broker + "'"));
        }
        checkDeviceId(deviceId);
        if (topicRoot != null && !topicRoot.isBlank()) checkTopic("topic-root", topicRoot);
        checkTopic("discovery-prefix", discoveryPrefix);
        if (passwordEnv != null && System.getenv(passwordEnv) == null) {
            throw new IllegalArgumentException("password-env: environment variable " + passwordEnv + " is not set");
        }
    }

    private static void notNegative(String setting, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(setting + ": expected a number >= 0, got " + v);
        }
    }

    /** tcp://HOST[:PORT] or ssl://HOST[:PORT] with the port in range: Paho would otherwise retry forever. */
    static void checkBrokerUrl(String url) {
        String usage = "broker: expected tcp://HOST:PORT, ssl://HOST:PORT or embedded, got '" + url + "'";
        if (!url.startsWith("tcp://") && !url.startsWith("ssl://")) throw new IllegalArgumentException(usage);
        String authority = url.substring(6);
        int slash = authority.indexOf('/');
        if (slash >= 0) {
            if (slash != authority.length() - 1) throw new IllegalArgumentException(usage + " (no path after the port)");
            authority = authority.substring(0, slash);
        }
        int colon = authority.startsWith("[") ? authority.indexOf(':', Math.max(0, authority.indexOf(']'))) : authority.lastIndexOf(':');
        String host = colon < 0 ? authority : authority.substring(0, colon);
        if (host.isEmpty()) throw new IllegalArgumentException(usage + " (no host)");
        if (colon >= 0) {
            String port = authority.substring(colon + 1);
            int p;
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("broker '" + url + "': port '" + port + "' is not a number");
            }
            if (p < 1 || p > 65535) throw new IllegalArgumentException("broker '" + url + "': port " + p + " is out of range (1-65535)");
        }
    }

    /**
     * The device id names a topic level, the MQTT client id and a folder under the state directory, so it is
     * kept to characters that are safe in all three: no MQTT wildcards, no path separators, no leading dot.
     */
    static void checkDeviceId(String id) {
        if (id == null || id.isBlank()) return;
        if (id.startsWith(".")) throw new IllegalArgumentException("device-id '" + id + "': must not start with '.'");
        for (int i = 0; i < id.length(); i++) {
            char ch = id.charAt(i);
            boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                    || ch == '_' || ch == '-' || ch == '.';
            if (!ok) {
                throw new IllegalArgumentException("device-id '" + id + "': character '" + ch
                        + "' is not allowed (letters, digits, '_', '-' and '.' only)");
            }
        }
    }

    /** A topic (or topic prefix) the device publishes to: MQTT forbids wildcards and NUL in a topic name. */
    static void checkTopic(String setting, String topic) {
        if (topic == null || topic.isBlank()) throw new IllegalArgumentException(setting + ": must not be empty");
        for (int i = 0; i < topic.length(); i++) {
            char ch = topic.charAt(i);
            if (ch == '+' || ch == '#') {
                throw new IllegalArgumentException(setting + " '" + topic + "': character '" + ch
                        + "' is an MQTT wildcard, not allowed in a topic to publish to");
            }
            if (ch == 0) throw new IllegalArgumentException(setting + ": contains a NUL character");
        }
        if (topic.startsWith("$")) {
            throw new IllegalArgumentException(setting + " '" + topic + "': topics starting with '$' are reserved for the broker");
        }
    }

    /** Checks the region, state, schedule and model-update settings (each error names its setting). */
    public void validateRegionsAndUpdates() {
        dev.edgeq.device.region.Region.parseAll(regions);
        new dev.edgeq.device.state.StableState(minScore, stableFrames);
        new dev.edgeq.device.region.RegionRunner.Settings(minScore, stableFrames, interval, onMotion, motionThreshold);
        dev.edgeq.device.snapshot.Snapshots.Settings.of(snapshot, null, snapshotKeep, snapshotQuality, snapshotMaxBytes, false);
        new dev.edgeq.device.snapshot.JpegEncoder(snapshotQuality, snapshotMaxBytes);
        if (modelMaxBytes < 1) throw new IllegalArgumentException("model-max-bytes: expected >= 1, got " + modelMaxBytes);
        if (trustedKey != null && !Files.isRegularFile(Path.of(trustedKey))) {
            throw new IllegalArgumentException("trusted-key: file not found: " + trustedKey);
        }
    }

    /** The password from password-env or the config; never logged. */
    public char[] resolvePassword() {
        String p = passwordEnv != null ? System.getenv(passwordEnv) : password;
        return p == null ? null : p.toCharArray();
    }

    public boolean publishesEveryFrame() {
        if (publish != null) return publish.equals("every-frame");
        return source != null && (source.startsWith("dir:") || source.startsWith("file:"));
    }

    public boolean usesEmbeddedBroker() {
        return broker == null || broker.isBlank() || broker.equals("embedded");
    }
}
