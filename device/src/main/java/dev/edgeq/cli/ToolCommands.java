package dev.edgeq.cli;

import java.util.List;

/**
 * Subcommands that a module on the class path adds to {@code edgeq}, found through
 * {@code META-INF/services/dev.edgeq.cli.ToolCommands}. The board jar (this module) has only the commands
 * declared on {@link Main}; the full tool (the cli module) adds convert, inspect, eval and export, so that
 * the board code never depends on the converter.
 */
public interface ToolCommands {
    /** picocli command classes, in the order {@code edgeq --help} lists them. */
    List<Class<?>> commands();
}
