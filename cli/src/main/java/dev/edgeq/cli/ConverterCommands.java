package dev.edgeq.cli;

import java.util.List;

/** The commands that need the converter, which the board jar leaves out (listed in META-INF/services). */
public final class ConverterCommands implements ToolCommands {
    @Override
    public List<Class<?>> commands() {
        return List.of(ConvertCommand.class, InspectCommand.class, EvalCommand.class, ExportCommand.class);
    }
}
