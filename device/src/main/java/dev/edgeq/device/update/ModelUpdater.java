package dev.edgeq.device.update;

import dev.edgeq.device.Json;
import dev.edgeq.device.LogText;
import dev.edgeq.device.loop.ClassificationLoop;
import dev.edgeq.device.loop.FrameClassifier;
import dev.edgeq.device.loop.RuntimeFrameClassifier;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Model updates from {@code model/set}: each message is checked ({@link ModelCheck}) on its own thread
 * (never on the MQTT client's), stored durably ({@link ModelStore}), then handed to the loop, which swaps it
 * in between two frames (so no frame is lost) and this class reports it on {@code model/status}. A
 * refused update leaves the running model alone and says why on {@code model/status}:
 * <pre>
 * {"state":"running","model":{"name":"door","sha256":"3f2a...","signer":"alice","key":"5c1e...","file":"..."},"timestamp":"..."}
 * {"state":"rejected","message":"signed with key 9d0c... (signer 'mallory'), but the device trusts key 5c1e...","model":{...running...},"timestamp":"..."}
 * </pre>
 */
public final class ModelUpdater implements ClassificationLoop.ModelSource, AutoCloseable {

    private record Pending(RuntimeFrameClassifier classifier, ModelInfo info) {}

    private final ModelCheck check;
    private final ModelStore store;
    private final long maxBytes;
    private final Consumer<byte[]> status;
    private final Consumer<String> log;
    private final AtomicReference<Pending> pending = new AtomicReference<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "model-update");
        t.setDaemon(true);
        return t;
    });
    private volatile ModelInfo running;
    private volatile byte[] lastStatus;

    /** {@code check} null: no trusted key configured, every update is refused. */
    public ModelUpdater(ModelCheck check, ModelStore store, long maxBytes, ModelInfo initial, Consumer<byte[]> status,
                        Consumer<String> log) {
        this.check = check;
        this.store = store;
        this.maxBytes = maxBytes;
        this.running = initial;
        this.status = status;
        this.log = log;
        this.lastStatus = statusJson("running", null);
    }

    /** Called on the MQTT client's thread: queues the work and returns at once. */
    public void submit(byte[] payload) {
        worker.execute(() -> handle(payload));
    }

    /** Opens the model to reload (set/model-reload). */
    public interface Reload {
        ModelStartup.Chosen open() throws Exception;
    }

    /**
     * Reloads the model the device would start with (the last good update, else the --model file), on the
     * update thread, and swaps it in like an update; it must take {@code channels} input channels.
     */
    public void reload(Reload reload, int channels) {
        worker.execute(() -> {
            try {
                ModelStartup.Chosen c = reload.open();
                if (c.classifier().inputChannels() != channels) {
                    c.classifier().close();
                    throw new UpdateRejected("reloaded model wants " + c.classifier().inputChannels() + " channel(s), the camera delivers " + channels);
                }
                Pending old = pending.getAndSet(new Pending(c.classifier(), c.info()));
                if (old != null) old.classifier().close();
                log.accept("model reload: " + c.info().name() + " (" + c.info().sha256().substring(0, 12) + ") runs from the next frame");
            } catch (Exception e) {
                log.accept("model reload failed: " + LogText.oneLine(String.valueOf(e.getMessage()), 1000));
                publish(statusJson("rejected", "reload failed: " + e.getMessage()));
            }
        });
    }

    /** The current {@code model/status} message (publish it retained on every connect). */
    public byte[] status() { return lastStatus; }

    public ModelInfo running() { return running; }

    /** Called on the loop thread after each swap, once {@link #running()} is the new model (e.g. to refresh discovery). */
    public void onSwapped(Runnable listener) {
        swappedListener = java.util.Objects.requireNonNull(listener, "listener");
    }

    private volatile Runnable swappedListener = () -> { };

    void handle(byte[] payload) {
        try {
            if (check == null) throw new UpdateRejected("model updates are off: no trusted-key in the device settings");
            UpdatePayload u = UpdatePayload.parse(payload, maxBytes);
            RuntimeFrameClassifier c = check.check(u.model(), u.signature());
            try {
                store.install(u.signature().sha256(), u.model(), u.signatureBytes());
            } catch (IOException e) {
                c.close();
                throw new UpdateRejected("cannot store the model in " + store.dir() + ": " + e.getMessage(), e);
            }
            ModelInfo info = ModelInfo.of(c.modelName(), c.modelSha256(), u.signature(),
                    store.dir().resolve(c.modelSha256() + ".eqm").toString());
            Pending old = pending.getAndSet(new Pending(c, info));
            if (old != null) old.classifier().close(); // superseded before the loop took it
            log.accept("model update " + info.name() + " (" + info.sha256().substring(0, 12) + ", signed by " + info.signer()
                    + ") accepted; it replaces " + running.name() + " at the next frame");
        } catch (UpdateRejected e) {
            log.accept("model update rejected: " + LogText.oneLine(e.getMessage(), 1000));
            publish(statusJson("rejected", e.getMessage()));
        } catch (RuntimeException e) {
            log.accept("model update failed: " + LogText.oneLine(e.toString(), 1000));
            publish(statusJson("rejected", "internal error: " + e));
        }
    }

    @Override
    public FrameClassifier takePending() {
        if (pending.get() == null) return null;
        Pending p = pending.getAndSet(null);
        if (p == null) return null;
        next = p.info();
        return p.classifier();
    }

    /** The info of the classifier most recently taken by the loop (loop thread only). */
    private ModelInfo next;

    @Override
    public void swapped(FrameClassifier previous, FrameClassifier now) {
        ModelInfo was = running;
        running = next;
        previous.close();
        log.accept("model " + running.name() + " (" + running.sha256().substring(0, 12) + ") now runs; it replaced "
                + was.name() + " (" + was.sha256().substring(0, Math.min(12, was.sha256().length())) + ")");
        publish(statusJson("running", "updated from " + was.name() + " " + was.sha256()));
        swappedListener.run();
    }

    private void publish(byte[] s) {
        lastStatus = s;
        status.accept(s);
    }

    private byte[] statusJson(String state, String message) {
        java.util.Map<String, Object> o = Json.object();
        o.put("state", state);
        if (message != null) o.put("message", message);
        running.writeTo(Json.putObject(o, "model"));
        o.put("timestamp", dev.edgeq.device.loop.ClassificationJson.isoMillis(System.currentTimeMillis()));
        return Json.bytes(o);
    }

    @Override
    public void close() {
        worker.shutdownNow();
        Pending p = pending.getAndSet(null);
        if (p != null) p.classifier().close();
    }
}
