package dev.edgeq.device.testing;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Publishes one message (QoS 1, not retained) as another MQTT client would: commands, model updates. */
public final class MqttSend {
    private MqttSend() {}

    public static void once(String url, String topic, byte[] payload) throws MqttException {
        MqttClient c = new MqttClient(url, "send-" + System.nanoTime(), new MemoryPersistence());
        c.connect();
        c.publish(topic, payload, 1, false);
        c.disconnect();
        c.close();
    }
}
