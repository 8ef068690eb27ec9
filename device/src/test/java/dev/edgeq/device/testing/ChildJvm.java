package dev.edgeq.device.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A separate JVM running {@code edgeq run} (through {@link DeviceProcessMain}) with the test classpath. */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path output;

    private ChildJvm(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static ChildJvm start(Path output, Map<String, String> env, List<String> jvmArgs, String... args) throws IOException {
        return startWrapped(List.of(), output, env, jvmArgs, args);
    }

    /** As {@link #start(Path, Map, List, String...)}, with the java command appended to {@code wrapper} (e.g. unshare). */
    public static ChildJvm startWrapped(List<String> wrapper, Path output, Map<String, String> env, List<String> jvmArgs,
                                        String... args) throws IOException {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DeviceProcessMain.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().putAll(env);
        return new ChildJvm(pb.start(), output);
    }

    public static ChildJvm start(Path output, String... args) throws IOException {
        return start(output, Map.of(), List.of("-Xmx64m"), args);
    }

    public Process process() { return process; }

    public String output() throws IOException {
        return Files.exists(output) ? Files.readString(output) : "";
    }

    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Waits (bounded) for the exit code; -1 if it did not exit in time. */
    public int waitFor(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
