package dev.edgeq.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The full tool: the board's commands plus the converter's, found through META-INF/services. */
class ToolCommandsTest {
    @Test
    void theFullToolAddsTheConverterCommandsAndKeepsHelpLast() {
        List<String> names = new ArrayList<>(Main.withToolCommands(new CommandLine(new Main())).getSubcommands().keySet());
        assertTrue(names.containsAll(List.of("run", "capture", "classify", "bench", "convert", "inspect", "eval", "export")),
                names.toString());
        assertEquals("help", names.get(names.size() - 1), names.toString());
        assertEquals(List.of("convert", "inspect", "eval", "export"),
                names.subList(names.indexOf("convert"), names.indexOf("convert") + 4), names.toString());
    }
}
