package dev.edgeq.device.mqtt;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import javax.net.SocketFactory;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code run --print}: an ordinary MQTT subscriber on {@code <root>#} that prints each message it receives
 * as one line, {@code TOPIC PAYLOAD}, so what a consumer would see is visible in the terminal.
 *
 * <p>A lost connection loses nothing: the session is persistent while the printer runs (the broker keeps
 * the subscription and queues QoS 1 messages until Paho reconnects), the subscription is renewed after a
 * reconnect in case the broker forgot the session (restarted without persistence), and {@link #close()}
 * ends the session so that no queue is left behind on the broker.
 */
public final class MessagePrinter implements AutoCloseable {
    private static final Pattern SEQ = Pattern.compile("^\\{\"seq\":(\\d+)");
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final String filter;
    private final PrintStream out;
    private long highestSeq = -1;

    public MessagePrinter(String serverUri, String topicRoot, String username, char[] password, SocketFactory sf,
                          PrintStream out) throws MqttException {
        this.out = out;
        this.filter = topicRoot + "#";
        client = new MqttAsyncClient(serverUri, "edgeq-print-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000,
                new MemoryPersistence());
        client.setCallback(new MqttCallbackExtended() {
            @Override public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect) {
                    try {
                        client.subscribe(filter, 1);
                    } catch (MqttException e) {
                        // the next reconnect tries again; the persistent session usually kept the subscription anyway
                    }
                }
            }
            @Override public void connectionLost(Throwable cause) {}
            @Override public void deliveryComplete(IMqttDeliveryToken token) {}
            @Override public void messageArrived(String topic, MqttMessage m) {
                String payload = new String(m.getPayload(), StandardCharsets.UTF_8);
                synchronized (MessagePrinter.this) {
                    MessagePrinter.this.out.println(topic + " " + payload);
                    MessagePrinter.this.out.flush();
                    Matcher mm = SEQ.matcher(payload);
                    if (topic.endsWith("/classification") && mm.find()) {
                        highestSeq = Math.max(highestSeq, Long.parseLong(mm.group(1)));
                        MessagePrinter.this.notifyAll();
                    }
                }
            }
        });
        MqttConnectOptions o = options = new MqttConnectOptions();
        o.setAutomaticReconnect(true);
        if (username != null) o.setUserName(username);
        if (password != null) o.setPassword(password);
        if (sf != null) o.setSocketFactory(sf);
        o.setCleanSession(false); // the client id is new (pid, time), so no earlier session can replay into it
        client.connect(o).waitForCompletion(10_000);
        client.subscribe(filter, 1).waitForCompletion(10_000);
    }

    /** Waits until a classification with sequence number >= seq was printed; false on timeout. */
    public synchronized boolean awaitSeq(long seq, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (highestSeq < seq) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) return false;
            wait(left);
        }
        return true;
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1000).waitForCompletion(2000);
                // Connecting with a clean session ends the persistent one: the broker drops its subscription and queue.
                options.setCleanSession(true);
                options.setAutomaticReconnect(false);
                client.connect(options).waitForCompletion(2000);
                client.disconnect(1000).waitForCompletion(2000);
            }
            client.close(true);
        } catch (MqttException e) {
            // closing anyway
        }
    }
}
