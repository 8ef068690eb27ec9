package dev.edgeq.cli;

import dev.edgeq.device.config.DeviceConfig;
import dev.edgeq.device.testing.CliRun;
import dev.edgeq.device.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The docs and --help say what the flags do, and every device setting is a flag as docs/device.md promises. */
class CliDocsTest {
    @TempDir Path tmp;

    /** Settings whose flag is not --NAME (or that are deliberately not a flag), as docs/device.md states. */
    private static final Map<String, String> FLAG_FOR = Map.of(
            "password", "",                       // YAML only: a flag would show it in ps
            "model-max-bytes", "",                // YAML only (docs/device.md)
            "regions", "--region",                // repeatable: one region per flag
            "home-assistant", "--no-home-assistant",
            "camera.command", "--camera-command",
            "camera.extra-args", "--camera-arg");

    @Test
    void everyOptionOfEveryCommandHasADescription() {
        List<String> missing = new ArrayList<>();
        CommandLine main = Main.withToolCommands(new CommandLine(new Main()));
        for (CommandLine sub : main.getSubcommands().values()) {
            for (OptionSpec o : sub.getCommandSpec().options()) {
                if (o.description().length == 0 || String.join("", o.description()).isBlank()) {
                    missing.add(sub.getCommandName() + " " + o.longestName());
                }
            }
        }
        assertEquals(List.of(), missing, "options without a description in --help");
    }

    @Test
    void everyDeviceSettingIsARunFlagAndEveryRunFlagIsDocumented() throws Exception {
        Set<String> flags = new TreeSet<>();
        for (OptionSpec o : new CommandLine(new RunCommand()).getCommandSpec().options()) flags.addAll(List.of(o.names()));
        List<String> noFlag = new ArrayList<>();
        for (String setting : settings(DeviceConfig.class, "")) {
            String flag = FLAG_FOR.getOrDefault(setting, "--" + setting.replaceFirst("^camera\\.", ""));
            if (!flag.isEmpty() && !flags.contains(flag)) noFlag.add(setting + " (" + flag + ")");
        }
        assertEquals(List.of(), noFlag, "settings without a flag");
        String docs = Files.readString(Path.of("..", "docs", "device.md"));
        List<String> undocumented = new ArrayList<>();
        for (String f : flags) {
            if (!f.equals("-h") && !f.equals("-V") && !f.equals("--help") && !f.equals("--version") && !docs.contains("`" + f)) {
                undocumented.add(f);
            }
        }
        assertEquals(List.of(), undocumented, "run flags missing from docs/device.md");
    }

    /** The YAML keys of the settings class: kebab-case field names, camera.* for the nested section. */
    private static List<String> settings(Class<?> c, String prefix) {
        List<String> out = new ArrayList<>();
        for (Field f : c.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            String key = prefix + f.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
            if (f.getType() == DeviceConfig.Camera.class) out.addAll(settings(f.getType(), key + "."));
            else out.add(key);
        }
        return out;
    }

    @Test
    void captureSaysWhyItSavedFewerFramesThanAskedFor() throws Exception {
        Path one = TestImages.writePng(TestImages.gray(20, 10, 1), tmp.resolve("x.png"));
        CliRun.Result r = CliRun.edgeq("capture", "--source", "file:" + one, "--label", "mug", "--count", "3",
                "--out", tmp.resolve("ds").toString(), "--interval", "0");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("edgeq capture: the source file:1 files ended after 1 of 3 frames"), r.toString());
        try (java.util.stream.Stream<Path> s = Files.list(tmp.resolve("ds").resolve("mug"))) {
            assertEquals(1, s.count());
        }
    }
}
