package dev.edgeq.device.testing;

import dev.edgeq.cli.RunCommand;
import picocli.CommandLine;

/** Main class for child JVMs in tests: {@code edgeq run ARGS}. */
public final class DeviceProcessMain {
    private DeviceProcessMain() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new RunCommand()).execute(args));
    }
}
