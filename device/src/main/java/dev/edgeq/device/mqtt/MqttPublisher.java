package dev.edgeq.device.mqtt;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttTopic;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import javax.net.SocketFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Publishes through Eclipse Paho (mqttv3, async client) with the delivery guarantees edgeq promises:
 * <ul>
 * <li>Classification messages go through the on-disk {@link Outbox} first; a sender thread hands them to
 *     Paho while connected, keeping at most {@code maxInflight / 2} of them in flight (the rest of Paho's
 *     window stays free for status and stats), and an entry is deleted only in {@code deliveryComplete}
 *     (PUBACK for QoS 1).</li>
 * <li>Persistent session (cleanSession=false, stable client id): after a lost connection Paho reconnects
 *     by itself and resends in-flight messages; entries whose delivery stays in doubt for
 *     {@link #IN_DOUBT_MILLIS} after a reconnect are sent again (duplicates are possible, losses are not).</li>
 * <li>The first connection is retried with backoff by this class (Paho's automatic reconnect only covers
 *     connections that were up once). A refused connection (wrong password) logs one clear line, then
 *     keeps retrying quietly with backoff.</li>
 * <li>Last will: {@code offline} retained on the status topic; {@code online} retained after each connect;
 *     {@code stopped} retained on a clean {@link #close}.</li>
 * </ul>
 * The password is passed to Paho only and never logged.
 */
public final class MqttPublisher implements AutoCloseable {
    static final long IN_DOUBT_MILLIS = 15_000;

    /** Connection settings. */
    public record Settings(String serverUri, String clientId, String statusTopic, int qos, String username,
                           char[] password, SocketFactory socketFactory, int keepAliveSeconds, int maxInflight,
                           int maxReconnectDelaySeconds) {}

    private final Settings s;
    private final Outbox outbox;
    private final Consumer<String> log;
    private final MqttAsyncClient client;
    private final Object lock = new Object();
    private final Map<Integer, Long> seqByMessageId = new ConcurrentHashMap<>();
    /** seq -> when it was handed to Paho, for entries not yet acknowledged. */
    private final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile boolean connected;
    private volatile boolean everConnected;
    private volatile boolean closing;
    private volatile long connectedSince;
    private volatile Runnable onConnect = () -> {};
    private volatile BiConsumer<String, byte[]> onMessage = (t, p) -> {};
    private final Thread sender;
    private String lastConnectError;

    public MqttPublisher(Settings settings, Outbox outbox, Consumer<String> log) throws MqttException {
        this.s = settings;
        this.outbox = outbox;
        this.log = log;
        this.client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
        client.setCallback(new Callback());
        this.sender = new Thread(this::senderLoop, "mqtt-sender");
        sender.setDaemon(true);
    }

    /** Called (on Paho's thread: must not block) after every successful connect. */
    public void onConnect(Runnable r) { this.onConnect = r; }

    /** Called (on Paho's thread: must not block) for messages on subscribed topics. */
    public void onMessage(BiConsumer<String, byte[]> c) { this.onMessage = c; }

    public void start() {
        sender.start();
    }

    private MqttConnectOptions options() {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(s.maxReconnectDelaySeconds() * 1000);
        o.setKeepAliveInterval(s.keepAliveSeconds());
        o.setConnectionTimeout(10);
        o.setMaxInflight(s.maxInflight());
        o.setWill(s.statusTopic(), "offline".getBytes(StandardCharsets.UTF_8), 1, true);
        if (s.username() != null) o.setUserName(s.username());
        if (s.password() != null) o.setPassword(s.password());
        if (s.socketFactory() != null) {
            o.setSocketFactory(s.socketFactory());
            o.setHttpsHostnameVerificationEnabled(true);
        }
        return o;
    }

    private void senderLoop() {
        long backoff = 1000;
        while (!closing) {
            try {
                if (!everConnected) {
                    if (tryFirstConnect()) {
                        backoff = 1000;
                    } else {
                        sleepUnlessClosing(backoff);
                        backoff = Math.min(backoff * 2, s.maxReconnectDelaySeconds() * 1000L);
                    }
                    continue;
                }
                if (connected) {
                    requeueInDoubt();
                    drain();
                }
                synchronized (lock) {
                    lock.wait(200);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | IOException e) {
                log.accept("mqtt sender: " + e);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private boolean tryFirstConnect() throws InterruptedException {
        try {
            IMqttToken t = client.connect(options());
            t.waitForCompletion(30_000);
            // connectComplete() runs later on Paho's callback thread; do not try to connect again meanwhile.
            everConnected = true;
            return true;
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttException.REASON_CODE_CLIENT_CONNECTED) {
                everConnected = true;
                return true;
            }
            if (closing) return false; // shutting down while connecting: nothing to report
            String why = describe(e);
            if (!why.equals(lastConnectError)) {
                log.accept("MQTT: cannot connect to " + s.serverUri() + ": " + why + "; retrying with backoff");
                lastConnectError = why;
            }
            return false;
        }
    }

    private String describe(MqttException e) {
        return reason(e) + plaintextHint(e);
    }

    /**
     * A TLS handshake against a plain MQTT listener ends with the broker closing the socket, which the JDK
     * reports only as "Connection reset" or "Remote host terminated the handshake": say what it likely means.
     */
    private String plaintextHint(MqttException e) {
        if (!s.serverUri().startsWith("ssl://")) return "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof java.io.EOFException || m.contains("Connection reset") || m.contains("terminated the handshake")
                    || m.contains("Unsupported or unrecognized SSL message")) {
                return "; the broker closed the TLS handshake: is this port a plain MQTT listener? Use tcp:// for it, "
                        + "or the broker's TLS port (usually 8883) with ssl://";
            }
        }
        return "";
    }

    private String reason(MqttException e) {
        return switch (e.getReasonCode()) {
            case MqttException.REASON_CODE_FAILED_AUTHENTICATION ->
                    "bad user name or password" + (s.username() == null ? " (no user name set)" : " for user '" + s.username() + "'");
            case MqttException.REASON_CODE_NOT_AUTHORIZED ->
                    "not authorized" + (s.username() == null ? " (no user name set)" : " (user '" + s.username() + "')");
            case MqttException.REASON_CODE_INVALID_CLIENT_ID -> "client id '" + s.clientId() + "' refused";
            case MqttException.REASON_CODE_SERVER_CONNECT_ERROR -> "connection refused or unreachable"
                    + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : "");
            default -> e.getMessage() + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : "");
        };
    }

    private void drain() throws IOException {
        int limit = Math.max(1, s.maxInflight() / 2);
        while (connected && !closing && outbox.inFlightCount() < limit) {
            Outbox.Entry e = outbox.takeNext();
            if (e == null) return;
            MqttMessage m = new MqttMessage(e.payload());
            try {
                m.setQos(e.qos());
                m.setRetained(e.retained());
                MqttTopic.validate(e.topic(), false);
            } catch (IllegalArgumentException bad) {
                // Paho refuses it before sending (wildcard in the topic, bad QoS): retrying can never succeed.
                outbox.setAside(e.seq(), bad.getMessage());
                continue;
            }
            try {
                sentAt.put(e.seq(), System.currentTimeMillis());
                IMqttDeliveryToken t = client.publish(e.topic(), m, e.seq(), null);
                if (e.qos() > 0) seqByMessageId.put(t.getMessageId(), e.seq());
            } catch (MqttException ex) {
                sentAt.remove(e.seq());
                outbox.requeue(e.seq());
                return; // disconnected or window full: try again on the next round
            }
        }
    }

    /**
     * Entries handed to Paho more than {@link #IN_DOUBT_MILLIS} ago, on a connection that has been up at least
     * that long, and still not acknowledged, are sent again (their delivery is in doubt, e.g. Paho lost the
     * token across a reconnect). A late acknowledgement of the first copy still removes the entry.
     */
    private void requeueInDoubt() {
        long now = System.currentTimeMillis();
        if (now - connectedSince < IN_DOUBT_MILLIS) return;
        for (Map.Entry<Long, Long> e : sentAt.entrySet()) {
            if (now - e.getValue() > IN_DOUBT_MILLIS && sentAt.remove(e.getKey(), e.getValue())) {
                outbox.requeue(e.getKey());
            }
        }
    }

    /** Direct publish for status, stats and discovery (not through the outbox; dropped while offline). */
    public boolean publishDirect(String topic, byte[] payload, int qos, boolean retained) {
        if (!connected) return false;
        try {
            MqttMessage m = new MqttMessage(payload);
            m.setQos(qos);
            m.setRetained(retained);
            client.publish(topic, m);
            return true;
        } catch (MqttException e) {
            return false;
        }
    }

    public void subscribe(String topic, int qos) {
        try {
            if (connected) client.subscribe(topic, qos);
        } catch (MqttException e) {
            log.accept("MQTT: cannot subscribe to " + topic + ": " + e.getMessage());
        }
    }

    /** Wakes the sender (call after appending to the outbox). */
    public void signal() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    public boolean isConnected() { return connected; }
    /** Messages from the outbox that the broker acknowledged since start. */
    public long published() { return outbox.acknowledgedCount(); }
    public long reconnects() { return reconnects.get(); }

    /**
     * Flushes the outbox (up to {@code flushMillis} while connected), publishes {@code stopped} on the status
     * topic, and disconnects. What is not delivered stays in the outbox for the next start.
     */
    @Override
    public void close() {
        closeWithFlush(5000);
    }

    public void closeWithFlush(long flushMillis) {
        try {
            if (connected) outbox.awaitEmpty(flushMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closing = true;
        sender.interrupt();
        try {
            sender.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (client.isConnected()) {
                MqttMessage m = new MqttMessage("stopped".getBytes(StandardCharsets.UTF_8));
                m.setQos(1);
                m.setRetained(true);
                client.publish(s.statusTopic(), m).waitForCompletion(3000);
                client.disconnect(2000).waitForCompletion(3000);
            }
        } catch (MqttException e) {
            log.accept("MQTT: clean disconnect failed: " + e.getMessage());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // already closed
        }
    }

    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            connected = true;
            everConnected = true;
            connectedSince = System.currentTimeMillis();
            if (reconnect) reconnects.incrementAndGet();
            log.accept("MQTT: " + (reconnect ? "reconnected to " : "connected to ") + serverURI);
            lastConnectError = null;
            publishDirect(s.statusTopic(), "online".getBytes(StandardCharsets.UTF_8), 1, true);
            try {
                onConnect.run();
            } catch (RuntimeException e) {
                log.accept("MQTT: on-connect action failed: " + e);
            }
            signal();
        }

        @Override
        public void connectionLost(Throwable cause) {
            connected = false;
            if (!closing) log.accept("MQTT: connection lost (" + (cause == null ? "?" : cause.getMessage()) + "); reconnecting");
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            onMessage.accept(topic, message.getPayload());
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            Object ctx = token.getUserContext();
            Long seq = ctx instanceof Long l ? l : null;
            Long byId = seqByMessageId.remove(token.getMessageId());
            if (seq == null) seq = byId;
            if (seq == null) return; // status / stats / discovery
            sentAt.remove(seq);
            try {
                outbox.acknowledged(seq);
            } catch (IOException e) {
                log.accept("outbox: cannot delete acknowledged entry " + seq + ": " + e.getMessage());
            }
            signal();
        }
    }

    private void sleepUnlessClosing(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!closing && System.currentTimeMillis() < end) Thread.sleep(Math.min(100, end - System.currentTimeMillis() + 1));
    }
}
