package dev.edgeq.cli;

import dev.edgeq.device.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the board jar (this module alone) offers: its own commands, and no embedded broker. */
class BoardJarTest {
    @TempDir Path tmp;

    @Test
    void theBoardHasItsOwnCommandsAndNoneThatNeedTheConverter() {
        Set<String> names = Main.withToolCommands(new CommandLine(new Main())).getSubcommands().keySet();
        assertTrue(names.containsAll(Set.of("run", "capture", "classify", "bench", "help")), names.toString());
        for (String converterCommand : List.of("convert", "inspect", "eval", "export")) {
            assertFalse(names.contains(converterCommand), converterCommand + " in " + names);
        }
    }

    /** Without Moquette on the class path (as in device/target/edgeq.jar), run says what to do instead. */
    @Test
    void withoutMoquetteRunWithNoBrokerSaysWhichBrokerToGive() throws Exception {
        Path images = TestImages.imageDir(tmp.resolve("images"), 2);
        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("moquette") && !e.contains("netty"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", classPath, Main.class.getName(), "run", "--model", model.toString(),
                "--source", "dir:" + images, "--once", "--outbox-dir", tmp.resolve("outbox").toString()));
        Path out = tmp.resolve("out.txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "run did not exit");
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), output);
        assertTrue(output.contains("no MQTT broker configured, and this jar (the board jar) has no embedded one: give --broker"), output);
        assertFalse(output.contains("Exception") || output.contains("NoClassDefFoundError"), output);
    }
}
