package dev.edgeq.device.testing;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/** Main class that tools/edgeq launches in {@code LauncherTest}: reports the JVM it got, writes one stderr line, exits 3. */
public final class LauncherProbe {
    private LauncherProbe() {}

    public static void main(String[] args) {
        StringBuilder gcs = new StringBuilder();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) gcs.append(gc.getName()).append(';');
        System.out.println("vector=" + ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        System.out.println("heap-mb=" + Runtime.getRuntime().maxMemory() / (1024 * 1024));
        System.out.println("gc=" + gcs);
        System.out.println("stderr-terminal=" + System.getenv("EDGEQ_STDERR_TERMINAL"));
        System.out.println("args=" + String.join(" ", args));
        System.err.println("probe: a line on stderr");
        System.exit(3);
    }
}
