package dev.edgeq.device.mqtt;

import dev.edgeq.device.testing.Mosquitto;
import dev.edgeq.device.testing.MqttSend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

class MessagePrinterTest {
    @TempDir Path tmp;

    /**
     * {@code run --print} against a broker that dies and comes back: the printer reconnects and still prints
     * what is published afterwards (a clean session lost its subscription on the reconnect and printed nothing
     * more, so {@code --once} waited out its timeout).
     */
    @Test
    void keepsPrintingAfterTheBrokerIsKilledAndRestarted() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
             MessagePrinter printer = new MessagePrinter(broker.url(), "edgeq/p/", null, null, null,
                     new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            MqttSend.once(broker.url(), "edgeq/p/classification", "{\"seq\":1}".getBytes(StandardCharsets.UTF_8));
            assertTrue(printer.awaitSeq(1, 10_000), "printed before the outage: " + printed);
            Thread.sleep(1500); // mosquitto saves its sessions every second (autosave_interval 1)
            broker.kill9();
            broker.restart();
            boolean seen = false;
            for (int i = 0; i < 60 && !seen; i++) {
                try {
                    MqttSend.once(broker.url(), "edgeq/p/classification", "{\"seq\":2}".getBytes(StandardCharsets.UTF_8));
                } catch (org.eclipse.paho.client.mqttv3.MqttException notUpYet) {
                    // the broker is still starting
                }
                seen = printer.awaitSeq(2, 500);
            }
            assertTrue(seen, "printed after the broker came back: " + printed + "\nbroker log: " + broker.log());
        }
    }
}
