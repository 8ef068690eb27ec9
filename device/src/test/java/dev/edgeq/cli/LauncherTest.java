package dev.edgeq.cli;

import dev.edgeq.device.testing.LauncherProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tools/edgeq, the command users type (and the systemd unit runs): clean stderr on JDK 17 and 25 while the
 * Vector API module is still added, the board's heap and collector for the daemons, java's exit code kept.
 */
class LauncherTest {
    @TempDir Path tmp;
    private static final Path LAUNCHER = Path.of("..", "tools", "edgeq");
    private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    private record Run(int code, String out, String err) {}

    /** A jar holding only a manifest: LauncherProbe from this test's class path. */
    private Path probeJar() throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
        List<String> urls = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) urls.add(Path.of(e).toUri().toString());
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
        Path jar = tmp.resolve("probe.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return jar;
    }

    private Run launch(Path javaHome, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("EDGEQ_JAR", probeJar().toString());
        pb.environment().put("PATH", javaHome.resolve("bin") + File.pathSeparator + System.getenv("PATH"));
        pb.environment().putAll(env);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher finished");
        Thread.sleep(200); // the stderr filter ends just after java
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private void cleanStderrWithTheVectorModule(Path javaHome) throws Exception {
        for (String command : List.of("run", "eval", "--help")) {
            Run r = launch(javaHome, Map.of(), command, "x");
            assertEquals(3, r.code(), "java's exit code passes through: " + r);
            assertEquals("probe: a line on stderr\n", r.err(), javaHome + " " + command + ": only the program's own stderr: " + r);
            assertTrue(r.out().contains("vector=true"), "the Vector API module is still added: " + r);
            assertTrue(r.out().contains("stderr-terminal=0"), "stderr is not a terminal here: " + r);
            assertTrue(r.out().contains("args=" + command + " x"), r.out());
        }
    }

    @Test
    void noIncubatorWarningOnJdk17AndLaterWhileTheVectorModuleIsUsed() throws Exception {
        cleanStderrWithTheVectorModule(Path.of(System.getProperty("java.home")));
        if (Files.isExecutable(JDK25.resolve("bin/java"))) cleanStderrWithTheVectorModule(JDK25);
    }

    /** On a terminal (a pseudo-terminal from util-linux script) edgeq is told so, for its progress bars. */
    @Test
    void edgeqIsToldWhenStderrIsATerminal() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script");
        Run r = launch(Path.of(System.getProperty("java.home")), Map.of(), "eval"); // builds probe.jar
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", "bash " + LAUNCHER.toAbsolutePath() + " eval", "/dev/null");
        pb.environment().put("EDGEQ_JAR", tmp.resolve("probe.jar").toString());
        pb.environment().remove("JAVA_OPTS");
        Process p = pb.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertTrue(out.contains("stderr-terminal=1") && r.out().contains("stderr-terminal=0"), out);
    }

    @Test
    void theDaemonsGetTheBoardsHeapAndCollectorUnlessJavaOptsSetsAHeap() throws Exception {
        Path home = Path.of(System.getProperty("java.home"));
        Run run = launch(home, Map.of(), "--debug", "run");
        assertTrue(heapMb(run) <= 32 && run.out().contains("gc=Copy;MarkSweepCompact;"), "run: -Xmx32m, SerialGC: " + run);
        Run capture = launch(home, Map.of(), "capture");
        assertTrue(heapMb(capture) <= 32, "capture: " + capture);
        Run eval = launch(home, Map.of(), "eval");
        assertTrue(heapMb(eval) > 32, "eval keeps the JVM's default heap: " + eval);
        Run own = launch(home, Map.of("JAVA_OPTS", "-Xmx100m"), "run");
        assertTrue(heapMb(own) > 32 && heapMb(own) <= 100, "JAVA_OPTS wins: " + own);
    }

    private static long heapMb(Run r) {
        return r.out().lines().filter(l -> l.startsWith("heap-mb=")).mapToLong(l -> Long.parseLong(l.substring(8))).findFirst().orElse(-1);
    }

    /** The unit's ExecStart with its Environment, the launcher in place of /opt/edgeq/edgeq. */
    @Test
    void theSystemdUnitStartsTheLauncherWithCleanStderr() throws Exception {
        Path launcher = LAUNCHER.toAbsolutePath().normalize();
        String unit = Files.readString(Path.of("..", "tools", "edgeq.service")).replace("\\\n", " ").replace("/opt/edgeq/edgeq ", launcher + " ");
        Path unitCopy = Files.writeString(tmp.resolve("edgeq.service"), unit);
        if (Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))) {
            Process v = new ProcessBuilder("systemd-analyze", "verify", unitCopy.toString()).redirectErrorStream(true).start();
            String verify = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(v.waitFor(60, TimeUnit.SECONDS) && v.exitValue() == 0 && verify.isBlank(), "systemd-analyze verify: " + verify);
        }
        Map<String, String> env = new java.util.HashMap<>();
        List<String> exec = null;
        for (String line : unit.lines().toList()) {
            if (line.startsWith("Environment=")) {
                String kv = line.substring("Environment=".length()).replaceAll("^\"|\"$", "");
                env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            } else if (line.startsWith("ExecStart=")) {
                exec = List.of(line.substring("ExecStart=".length()).trim().split("\\s+"));
            }
        }
        assertEquals(launcher.toString(), exec.get(0), "the unit runs the launcher: " + exec);
        env.remove("EDGEQ_JAR"); // the probe stands in for /opt/edgeq/edgeq.jar
        Run r = launch(Path.of(System.getProperty("java.home")), env, exec.subList(1, exec.size()).toArray(new String[0]));
        assertEquals(3, r.code(), r.toString());
        assertEquals("probe: a line on stderr\n", r.err(), r.toString());
        assertTrue(r.out().contains("vector=true") && r.out().contains("args=run --config /etc/edgeq/device.yaml"), r.out());
        assertTrue(r.out().contains("heap-mb=") && r.out().contains("gc=Copy;MarkSweepCompact;"), "the board's heap and collector: " + r.out());
    }
}
