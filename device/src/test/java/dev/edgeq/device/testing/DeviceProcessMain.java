package dev.edgeq.device.testing;

import dev.edgeq.cli.Main;

/** Main class for child JVMs in tests: {@code edgeq run ARGS} through the real CLI entry point. */
public final class DeviceProcessMain {
    private DeviceProcessMain() {}

    public static void main(String[] args) {
        String[] all = new String[args.length + 1];
        all[0] = "run";
        System.arraycopy(args, 0, all, 1, args.length);
        System.exit(Main.execute(all));
    }
}
