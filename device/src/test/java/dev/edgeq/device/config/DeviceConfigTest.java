package dev.edgeq.device.config;

import dev.edgeq.cli.RunCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceConfigTest {
    @TempDir Path tmp;

    @Test
    void theExampleConfigLoadsAndFlagsOverrideIt() throws Exception {
        Path example = Path.of("..", "tools", "device.example.yaml");
        assertTrue(Files.exists(example), "tools/device.example.yaml exists");
        DeviceConfig file = DeviceConfig.load(example);
        assertEquals("on-change", file.publish);
        assertTrue(!file.publishesEveryFrame());
        RunCommand cmd = new RunCommand();
        new CommandLine(cmd).parseArgs("--config", example.toString(), "--publish", "every-frame", "--device-id", "kitchen",
                "--qos", "0", "--width", "320", "--camera-arg", "--hflip");
        DeviceConfig c = cmd.settings();
        assertEquals("every-frame", c.publish);
        assertEquals("kitchen", c.deviceId);
        assertEquals("edgeq/kitchen/", c.effectiveTopicRoot());
        assertEquals(0, c.qos);
        assertEquals(320, c.camera.width);
        assertEquals(file.camera.height, c.camera.height, "unset flags keep the file's value");
        assertEquals(java.util.List.of("--hflip"), c.camera.extraArgs);
        assertEquals(file.model, c.model);
    }

    @Test
    void unknownSettingsAreNamed() throws Exception {
        Path f = Files.writeString(tmp.resolve("d.yaml"), "model: m.eqm\npublsh: on-change\n");
        IOException e = assertThrows(IOException.class, () -> DeviceConfig.load(f));
        assertTrue(e.getMessage().contains("unknown setting 'publsh'") && e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void badValuesAreNamed() {
        DeviceConfig c = new DeviceConfig();
        c.model = "m.eqm";
        c.publish = "sometimes";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate);
        assertTrue(e.getMessage().startsWith("publish:"), e.getMessage());
        c.publish = "on-change";
        c.broker = "mqtt://x";
        assertTrue(assertThrows(IllegalArgumentException.class, c::validate).getMessage().startsWith("broker:"));
        c.broker = "tcp://x:1883";
        c.cert = "c.pem";
        assertTrue(assertThrows(IllegalArgumentException.class, c::validate).getMessage().contains("cert and key"));
        c.cert = null;
        c.threads = 0;
        assertEquals("threads: expected 1..256, got 0", assertThrows(IllegalArgumentException.class, c::validate).getMessage());
    }
}
