package dev.edgeq.device.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeq.device.DeviceDaemon;
import dev.edgeq.device.config.DeviceConfig;
import dev.edgeq.device.loop.RuntimeFrameClassifier;
import dev.edgeq.device.testing.Mosquitto;
import dev.edgeq.device.testing.Subscriber;
import dev.edgeq.device.testing.TestImages;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery is retained, device-based, and sent again when Home Assistant announces itself online. */
class HomeAssistantTest {
    @TempDir Path tmp;

    @Test
    void discoveryIsResentWhenHomeAssistantComesOnline() throws Exception {
        Path images = TestImages.imageDir(tmp.resolve("images"), 2);
        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        String topic = "homeassistant/device/edgeq_ha1/config";
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
             Subscriber sub = new Subscriber(broker.url(), "ha-sub", "homeassistant/device/#", false)) {
            DeviceConfig c = new DeviceConfig();
            c.model = model.toString();
            c.source = "dir:" + images; // not --once: keeps watching the folder until stopped
            c.broker = broker.url();
            c.deviceId = "ha1";
            c.outboxDir = tmp.resolve("outbox").toString();
            c.statsInterval = 0;
            AtomicInteger code = new AtomicInteger(-1);
            try (RuntimeFrameClassifier cl = RuntimeFrameClassifier.open(model, 3)) {
                DeviceDaemon d = new DeviceDaemon(c, cl, new DeviceDaemon.Options(false, false, System.out, 5000), s -> System.err.println("device: " + s));
                Thread t = new Thread(() -> {
                    try {
                        code.set(d.run());
                    } catch (Exception e) {
                        code.set(99);
                    }
                });
                t.start();
                try {
                    assertTrue(sub.await(ms -> ms.size() == 1, 20_000), "first discovery");
                    assertTrue(sub.messages().get(0).payload().contains("\"cmps\""));
                    MqttClient ha = new MqttClient(broker.url(), "home-assistant", new MemoryPersistence());
                    ha.connect();
                    ha.publish("homeassistant/status", "online".getBytes(), 1, false);
                    ha.disconnect();
                    ha.close();
                    assertTrue(sub.await(ms -> ms.size() == 2, 10_000), "resent after homeassistant/status online: " + sub.messages());
                } finally {
                    d.stopAndWait(10_000);
                    t.join(10_000);
                }
                assertEquals(0, code.get());
            }
            // retained: what a Home Assistant starting later reads
            try (Subscriber late = new Subscriber(broker.url(), "ha-late", topic, false)) {
                assertTrue(late.await(ms -> ms.size() == 1 && ms.get(0).retained(), 5_000));
                JsonNode d = new ObjectMapper().readTree(late.messages().get(0).payload());
                assertEquals("edgeq_ha1", d.get("dev").get("ids").get(0).asText());
                assertEquals("{{ value_json.label }}", d.get("cmps").get("edgeq_ha1_label").get("value_template").asText());
                assertEquals("{{ value_json.scores | tojson }}", d.get("cmps").get("edgeq_ha1_label").get("json_attributes_template").asText());
            }
        }
    }
}
