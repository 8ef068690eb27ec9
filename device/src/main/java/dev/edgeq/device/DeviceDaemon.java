package dev.edgeq.device;

import dev.edgeq.device.config.DeviceConfig;
import dev.edgeq.device.loop.ClassificationJson;
import dev.edgeq.device.loop.ClassificationLoop;
import dev.edgeq.device.loop.FrameClassifier;
import dev.edgeq.device.mqtt.EmbeddedBroker;
import dev.edgeq.device.mqtt.HomeAssistantDiscovery;
import dev.edgeq.device.mqtt.MessagePrinter;
import dev.edgeq.device.mqtt.MqttPublisher;
import dev.edgeq.device.mqtt.Outbox;
import dev.edgeq.device.mqtt.PemSsl;
import dev.edgeq.device.source.FrameSource;
import dev.edgeq.device.source.FrameSources;
import dev.edgeq.device.update.ModelInfo;

import javax.net.SocketFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The whole device: frame source -> loop -> outbox -> MQTT, plus status, stats, Home Assistant discovery,
 * the embedded broker when none is configured, and the {@code --print} subscriber. {@link #run} blocks until
 * the source ends (dir/file with {@code --once}) or {@link #stop} is called (SIGTERM via a shutdown hook);
 * then it flushes the outbox (bounded), publishes {@code stopped}, and disconnects.
 */
public final class DeviceDaemon {
    public static final String VERSION = "0.1.0";
    /** The longest flush on SIGTERM (docs/device.md promises it). */
    public static final long STOP_FLUSH_MILLIS = 3000;

    /** Run options that are not device settings. */
    public record Options(boolean once, boolean print, PrintStream out, long flushMillis) {}

    private final DeviceConfig cfg;
    private final FrameClassifier classifier;
    private final Options opts;
    private final Consumer<String> log;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile ClassificationLoop loop;
    private volatile boolean stopRequested;
    private ModelInfo modelInfo;

    public DeviceDaemon(DeviceConfig cfg, FrameClassifier classifier, Options opts, Consumer<String> log) {
        this.cfg = cfg;
        this.classifier = classifier;
        this.opts = opts;
        this.log = log;
    }

    /** Default outbox folder: $XDG_STATE_HOME/edgeq/ID/outbox, else ~/.local/state/edgeq/ID/outbox. */
    public static Path defaultOutboxDir(String deviceId) {
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("edgeq").resolve(deviceId).resolve("outbox");
    }

    /** Where accepted model updates are kept: model-dir, else next to the default outbox. */
    public static Path modelDir(DeviceConfig cfg) {
        return cfg.modelDir != null ? Path.of(cfg.modelDir) : defaultOutboxDir(cfg.effectiveDeviceId()).resolveSibling("models");
    }

    /** Names the model's origin (file, signer) in model/status; default: an unsigned model. */
    public DeviceDaemon modelInfo(ModelInfo info) {
        this.modelInfo = info;
        return this;
    }

    public int run() throws Exception {
        String id = cfg.effectiveDeviceId();
        String root = cfg.effectiveTopicRoot();
        EmbeddedBroker broker = null;
        MqttPublisher publisher = null;
        MessagePrinter printer = null;
        ScheduledExecutorService timer = null;
        FrameSource source = null;
        DeviceServices services = null;
        try {
            // The source first: a wrong spec fails before any broker or connection is started.
            Path outboxDir = cfg.outboxDir != null ? Path.of(cfg.outboxDir) : defaultOutboxDir(id);
            // The outbox folder is the device's state folder: a watched dir: remembers there what it classified.
            source = FrameSources.open(cfg.source, cfg.camera, classifier.inputChannels() == 3, opts.once(), outboxDir, log);
            String uri = cfg.broker;
            if (cfg.usesEmbeddedBroker()) {
                broker = EmbeddedBroker.start(cfg.embeddedPort);
                uri = broker.url();
                log.accept("no broker configured: started the embedded MQTT broker on " + uri + " (localhost only)");
            }
            SocketFactory sf = null;
            if (uri.startsWith("ssl://") || cfg.ca != null) {
                sf = PemSsl.context(path(cfg.ca), path(cfg.cert), path(cfg.key)).getSocketFactory();
            }
            Outbox outbox = new Outbox(outboxDir, cfg.outboxMax, cfg.outboxFsync.equals("always"), log);
            char[] password = cfg.resolvePassword();
            publisher = new MqttPublisher(new MqttPublisher.Settings(uri, "edgeq-" + id, root + "status", cfg.qos,
                    cfg.username, password, sf, 30, 64, 10), outbox, log);
            MqttPublisher pub = publisher;
            String discoveryTopic = HomeAssistantDiscovery.topic(cfg.discoveryPrefix, id);
            DeviceServices svc = services = new DeviceServices(cfg, classifier, modelInfo, root, outbox, publisher, source.describe(), log);
            // Built when published: the device's model name is the running model's, which an update changes.
            Runnable publishDiscovery = () -> pub.publishDirect(discoveryTopic, HomeAssistantDiscovery.payload(id, root,
                    svc.updater.running().name(), VERSION, svc.regions, !cfg.snapshot.equals("off")), 1, true);
            String haStatus = cfg.discoveryPrefix + "/status";
            publisher.onConnect(() -> {
                svc.onConnect();
                if (cfg.homeAssistant) {
                    publishDiscovery.run();
                    pub.subscribe(haStatus, 1);
                }
            });
            publisher.onMessage((topic, payload) -> {
                if (!svc.handle(topic, payload) && cfg.homeAssistant && topic.equals(haStatus)
                        && new String(payload, StandardCharsets.UTF_8).trim().equals("online")) {
                    publishDiscovery.run();
                }
            });
            if (cfg.homeAssistant) svc.updater.onSwapped(publishDiscovery);
            if (opts.print()) printer = new MessagePrinter(uri, root, cfg.username, password, sf, opts.out());
            publisher.start();

            loop = new ClassificationLoop(source, svc.runner, svc.publisher, cfg.maxFps, log);
            loop.models(svc.updater);
            if (stopRequested) loop.stop();
            Stats stats = new Stats(loop, outbox, pub);
            if (cfg.statsInterval > 0) {
                timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "stats");
                    t.setDaemon(true);
                    return t;
                });
                long ms = (long) (cfg.statsInterval * 1000);
                timer.scheduleAtFixedRate(() -> pub.publishDirect(root + "stats", stats.json(), 0, false), ms, ms, TimeUnit.MILLISECONDS);
            }
            log.accept("classifying " + source.describe() + " with " + classifier.modelName() + " ("
                    + classifier.inputHeight() + "x" + classifier.inputWidth() + "x" + classifier.inputChannels()
                    + "), publishing to " + root + " on " + uri);
            int code = 0;
            try {
                loop.run();
            } catch (IOException e) {
                log.accept("stopping: " + e.getMessage());
                code = 2;
            }
            if (opts.once() && loop.frames() == 0 && !stopRequested) {
                long skipped = source.skipped();
                log.accept("nothing to classify: " + source.describe()
                        + (skipped > 0 ? ": all " + skipped + " images were unreadable" : " holds no PNG or JPEG images"));
                if (skipped > 0 && code == 0) code = 1;
            }
            // Flush: wait (bounded) for the broker to acknowledge what is in the outbox.
            if (!flush(outbox, pub)) {
                log.accept(outbox.size() + " messages not yet acknowledged stay in the outbox " + outboxDir + " for the next start");
            } else if (printer != null && svc.publisher.lastSeq() >= 0) {
                printer.awaitSeq(svc.publisher.lastSeq(), 5000);
            }
            outbox.reportLosses();
            pub.publishDirect(root + "stats", stats.json(), 0, false);
            if (printer != null) Thread.sleep(200); // let the last stats line arrive
            return code;
        } finally {
            if (timer != null) timer.shutdownNow();
            if (services != null) services.close();
            if (source != null) source.close();
            if (publisher != null) publisher.closeWithFlush(0);
            if (printer != null) printer.close();
            if (broker != null) broker.close();
            finished.countDown();
        }
    }

    /**
     * Waits (bounded) for the broker to acknowledge what is in the outbox. On a stop request (SIGTERM) at most
     * {@link #STOP_FLUSH_MILLIS}, and only while connected: with the broker down nothing can be delivered, and
     * systemd or the user is waiting. With {@code --once} the broker may still come back, so the whole
     * {@code flushMillis} is waited for.
     */
    private boolean flush(Outbox outbox, MqttPublisher pub) throws InterruptedException {
        long end = System.currentTimeMillis() + (stopRequested ? Math.min(opts.flushMillis(), STOP_FLUSH_MILLIS) : opts.flushMillis());
        while (true) {
            long left = end - System.currentTimeMillis();
            if (left <= 0 || (stopRequested && !pub.isConnected())) return outbox.size() == 0;
            if (outbox.awaitEmpty(Math.min(left, 100))) return true;
        }
    }

    /** Asks the daemon to stop (from a shutdown hook or another thread) and waits for it, bounded. */
    public void stopAndWait(long timeoutMillis) {
        stopRequested = true;
        ClassificationLoop l = loop;
        if (l != null) l.stop();
        try {
            finished.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path path(String s) {
        return s == null ? null : Path.of(s);
    }

    /** The stats message. */
    private static final class Stats {
        private final ClassificationLoop loop;
        private final Outbox outbox;
        private final MqttPublisher pub;
        private final long startNanos = System.nanoTime();
        private long lastNanos = System.nanoTime();

        Stats(ClassificationLoop loop, Outbox outbox, MqttPublisher pub) {
            this.loop = loop;
            this.outbox = outbox;
            this.pub = pub;
        }

        synchronized byte[] json() {
            long now = System.nanoTime();
            long[] l = loop.latencies().snapshotAndReset();
            double secs = Math.max(1e-9, (now - lastNanos) / 1e9);
            lastNanos = now;
            Runtime rt = Runtime.getRuntime();
            String s = String.format(java.util.Locale.ROOT,
                    "{\"timestamp\":\"%s\",\"uptime_s\":%d,\"fps\":%.2f,\"latency_ms\":{\"p50\":%s,\"p99\":%s},"
                            + "\"frames\":%d,\"dropped\":%d,\"skipped\":%d,\"inference_skipped\":%d,\"published\":%d,\"queued\":%d,"
                            + "\"outbox_dropped\":%d,\"reconnects\":%d,\"camera_restarts\":%d,\"heap_used_mb\":%.1f}",
                    ClassificationJson.isoMillis(System.currentTimeMillis()), (now - startNanos) / 1_000_000_000L, l[2] / secs, ms(l[0]), ms(l[1]),
                    loop.frames(), loop.dropped(), loop.source().skipped(), loop.runner().inferenceSkipped(), pub.published(), outbox.size(),
                    outbox.dropped(), pub.reconnects(), loop.source().restarts(),
                    (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
            return s.getBytes(StandardCharsets.UTF_8);
        }

        private static String ms(long nanos) {
            return nanos < 0 ? "null" : String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6);
        }
    }
}
