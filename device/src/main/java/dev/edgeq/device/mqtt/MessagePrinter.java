package dev.edgeq.device.mqtt;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
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
 */
public final class MessagePrinter implements AutoCloseable {
    private static final Pattern SEQ = Pattern.compile("^\\{\"seq\":(\\d+)");
    private final MqttAsyncClient client;
    private final PrintStream out;
    private long highestSeq = -1;

    public MessagePrinter(String serverUri, String topicRoot, String username, char[] password, SocketFactory sf,
                          PrintStream out) throws MqttException {
        this.out = out;
        client = new MqttAsyncClient(serverUri, "edgeq-print-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000,
                new MemoryPersistence());
        client.setCallback(new MqttCallback() {
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
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(true);
        if (username != null) o.setUserName(username);
        if (password != null) o.setPassword(password);
        if (sf != null) o.setSocketFactory(sf);
        client.connect(o).waitForCompletion(10_000);
        client.subscribe(topicRoot + "#", 1).waitForCompletion(10_000);
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
            if (client.isConnected()) client.disconnect(1000).waitForCompletion(2000);
            client.close(true);
        } catch (MqttException e) {
            // closing anyway
        }
    }
}
