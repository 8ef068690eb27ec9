package dev.edgeq.device.testing;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import javax.net.SocketFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A Paho subscriber that records every message; persistent (cleanSession=false) when asked. */
public final class Subscriber implements AutoCloseable {
    public record Msg(String topic, String payload, boolean retained) {}

    private final MqttAsyncClient client;
    private final List<Msg> messages = new ArrayList<>();
    private final String topicFilter;

    public Subscriber(String uri, String clientId, String topicFilter, boolean persistent) throws MqttException {
        this(uri, clientId, topicFilter, persistent, null, null, null);
    }

    public Subscriber(String uri, String clientId, String topicFilter, boolean persistent, String user, char[] password,
                      SocketFactory sf) throws MqttException {
        this.topicFilter = topicFilter;
        client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallbackExtended() {
            @Override public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect) {
                    try {
                        client.subscribe(topicFilter, 1);
                    } catch (MqttException e) {
                        // next reconnect tries again
                    }
                }
            }
            @Override public void connectionLost(Throwable cause) {}
            @Override public void deliveryComplete(IMqttDeliveryToken token) {}
            @Override public void messageArrived(String topic, MqttMessage m) {
                synchronized (messages) {
                    messages.add(new Msg(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.isRetained()));
                    messages.notifyAll();
                }
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(!persistent);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(1000);
        o.setMaxInflight(1000);
        if (user != null) o.setUserName(user);
        if (password != null) o.setPassword(password);
        if (sf != null) o.setSocketFactory(sf);
        client.connect(o).waitForCompletion(10_000);
        client.subscribe(topicFilter, 1).waitForCompletion(10_000);
    }

    public List<Msg> messages() {
        synchronized (messages) {
            return new ArrayList<>(messages);
        }
    }

    public List<Msg> on(String topic) {
        List<Msg> r = new ArrayList<>();
        for (Msg m : messages()) if (m.topic().equals(topic)) r.add(m);
        return r;
    }

    /** Waits (bounded) until the messages satisfy the condition; returns whether they do. */
    public boolean await(Predicate<List<Msg>> condition, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        synchronized (messages) {
            while (!condition.test(messages)) {
                long left = end - System.currentTimeMillis();
                if (left <= 0) return false;
                messages.wait(Math.min(left, 100));
            }
            return true;
        }
    }

    public static long count(List<Msg> ms, String topic, String payload) {
        return ms.stream().filter(m -> m.topic().equals(topic) && (payload == null || m.payload().equals(payload))).count();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) client.disconnect(1000).waitForCompletion(2000);
        } catch (MqttException e) {
            // ignore
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // ignore
        }
    }
}
