package dev.edgeq.device.region;

import dev.edgeq.cli.Main;
import dev.edgeq.device.config.DeviceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Regions and the new settings from YAML and flags; bad values name the setting. */
class RegionConfigTest {
    @TempDir Path tmp;

    @Test
    void regionsAreAYamlListAndEachNewSettingIsChecked() throws Exception {
        Path yaml = tmp.resolve("d.yaml");
        Files.writeString(yaml, "model: m.eqm\nregions:\n  - door:0.05,0.1,0.3,0.6\n  - spot:320,200,160,120\nmin-score: 0.7\n"
                + "stable-frames: 5\non-motion: true\nsnapshot: both\n");
        DeviceConfig c = DeviceConfig.load(yaml);
        c.validateRegionsAndUpdates();
        assertEquals(List.of("door", "spot"), Region.parseAll(c.regions).stream().map(Region::name).toList());
        assertEquals(5, c.stableFrames);
        assertTrue(c.onMotion);

        c.stableFrames = 0;
        assertEquals("stable-frames: expected >= 1, got 0", assertThrows(IllegalArgumentException.class, c::validateRegionsAndUpdates).getMessage());
        c.stableFrames = 3;
        c.minScore = 1.5;
        assertEquals("min-score: expected 0..1, got 1.5", assertThrows(IllegalArgumentException.class, c::validateRegionsAndUpdates).getMessage());
        c.minScore = 0.8;
        c.snapshot = "ftp";
        assertTrue(assertThrows(IllegalArgumentException.class, c::validateRegionsAndUpdates).getMessage().startsWith("snapshot: expected mqtt, dir, both or off"));
        c.snapshot = "mqtt";
        c.trustedKey = tmp.resolve("missing.pub").toString();
        assertTrue(assertThrows(IllegalArgumentException.class, c::validateRegionsAndUpdates).getMessage().startsWith("trusted-key: file not found"));
    }

    @Test
    void aBadRegionFlagStopsTheRunWithExitCode2() throws Exception {
        Path model = dev.edgeq.device.testing.BrightnessModel.write(tmp.resolve("b.eqm"));
        assertEquals(2, Main.execute("run", "--model", model.toString(), "--source", "file:" + model, "--once",
                "--region", "door:0.5,0,0.6,1"));
    }
}
