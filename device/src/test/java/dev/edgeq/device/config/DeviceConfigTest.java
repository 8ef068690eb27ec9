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

    private String refused(String yaml) throws IOException {
        Path f = Files.writeString(tmp.resolve("r.yaml"), yaml);
        return assertThrows(IOException.class, () -> DeviceConfig.load(f)).getMessage().replace(f + ": ", "");
    }

    @Test
    void eachMistakeNamesTheSettingAndLine() throws Exception {
        assertEquals("unknown setting 'camera.widht' (line 3); known: [width, height, framerate, command, "
                + "extra-args, stride-align, ffmpeg, restart-delay-max]",
                refused("model: m\ncamera:\n  widht: 3\n"));
        assertEquals("duplicate setting 'camera.width' (line 3)", refused("camera:\n  width: 3\n  width: 4\n"));
        assertEquals("qos: expected a whole number, got '1.5' (line 1)", refused("qos: 1.5\n"));
        assertEquals("top-k: 99999999999 is out of range (line 1)", refused("top-k: 99999999999\n"));
        assertEquals("score-delta: expected a number, got '.inf' (line 1)", refused("score-delta: .inf\n"));
        assertEquals("on-motion: expected true or false, got 'yes' (line 1)", refused("on-motion: yes\n"));
        assertEquals("regions[1]: expected text (an empty item is not allowed), got '' (line 3)",
                refused("regions:\n  - a:0,0,1,1\n  -\n"));
        assertEquals("regions: expected a list, got 'a:0,0,1,1' (line 1)", refused("regions: a:0,0,1,1\n"));
        assertEquals("camera: expected a section of settings, got a list (line 1)", refused("camera: [1]\n"));
        assertEquals("model: expected text, got a section (line 2)", refused("model:\n  a: b\n"));
        assertEquals("the file: expected a section of settings, got 'just text' (line 1)", refused("just text\n"));
        String syntax = refused("model: m\ncamera: {width: 3\n");
        assertTrue(syntax.contains("line 3"), syntax);
    }

    @Test
    void emptyValuesKeepTheDefaults() throws Exception {
        Path f = Files.writeString(tmp.resolve("e.yaml"), "model: m.eqm\ncamera:\nqos:\nregions: ~\n");
        DeviceConfig c = DeviceConfig.load(f);
        DeviceConfig defaults = new DeviceConfig();
        assertEquals(defaults.camera.width, c.camera.width);
        assertEquals(defaults.qos, c.qos);
        assertEquals(java.util.List.of(), c.regions);
        assertEquals("m.eqm", c.model);
        Path empty = Files.writeString(tmp.resolve("empty.yaml"), "# nothing set\n");
        assertEquals(defaults.topK, DeviceConfig.load(empty).topK);
    }

    @Test
    void quotedNumbersAndListsOfTextAreRead() throws Exception {
        Path f = Files.writeString(tmp.resolve("q.yaml"), "qos: \"0\"\ndevice-id: 1234\nscore-delta: -0.0e0\n"
                + "camera:\n  extra-args: [--hflip, \"--shutter\", 20000]\n  restart-delay-max: 2.5\nmodel-max-bytes: 5000000000\n");
        DeviceConfig c = DeviceConfig.load(f);
        assertEquals(0, c.qos);
        assertEquals("1234", c.deviceId);
        assertEquals(java.util.List.of("--hflip", "--shutter", "20000"), c.camera.extraArgs);
        assertEquals(2.5, c.camera.restartDelayMax);
        assertEquals(5_000_000_000L, c.modelMaxBytes);
    }
}
