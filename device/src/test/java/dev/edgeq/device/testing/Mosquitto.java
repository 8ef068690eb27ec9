package dev.edgeq.device.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker (Debian package mosquitto, /usr/sbin/mosquitto) started by a test on a free
 * port with its own config: persistence on, autosave_interval 1, persistence in the test's folder.
 */
public final class Mosquitto implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/mosquitto");
    private final Path dir;
    private final int port;
    private final List<String> listenerLines;
    private final List<String> globalLines;
    private Process process;

    private Mosquitto(Path dir, int port, List<String> listenerLines, List<String> globalLines) {
        this.dir = dir;
        this.port = port;
        this.listenerLines = listenerLines;
        this.globalLines = globalLines;
    }

    /** A plain anonymous broker. */
    public static Mosquitto start(Path dir) throws IOException, InterruptedException {
        return start(dir, freePort(), List.of("allow_anonymous true"), List.of());
    }

    public static Mosquitto start(Path dir, int port, List<String> listenerLines, List<String> globalLines)
            throws IOException, InterruptedException {
        Mosquitto m = new Mosquitto(dir, port, listenerLines, globalLines);
        m.launch();
        return m;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private void launch() throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install the Debian package mosquitto");
        }
        Files.createDirectories(dir);
        List<String> conf = new ArrayList<>();
        conf.add("per_listener_settings true");
        conf.add("persistence true");
        conf.add("persistence_location " + dir + "/");
        conf.add("autosave_interval 1");
        conf.add("log_dest file " + dir.resolve("mosquitto.log"));
        conf.add("log_type all");
        if ("root".equals(System.getProperty("user.name"))) conf.add("user root");
        conf.addAll(globalLines);
        conf.add("listener " + port + " 127.0.0.1");
        conf.addAll(listenerLines);
        Path cfg = dir.resolve("mosquitto.conf");
        Files.write(cfg, conf);
        process = new ProcessBuilder(BINARY.toString(), "-c", cfg.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.out").toFile()).start();
        long end = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited: " + Files.readString(dir.resolve("mosquitto.out"))
                        + (Files.exists(dir.resolve("mosquitto.log")) ? Files.readString(dir.resolve("mosquitto.log")) : ""));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("mosquitto did not open port " + port + " within 10 s");
    }

    public int port() { return port; }
    public String url() { return "tcp://127.0.0.1:" + port; }
    public Path dir() { return dir; }

    public String log() throws IOException {
        Path p = dir.resolve("mosquitto.log");
        return Files.exists(p) ? Files.readString(p) : "";
    }

    /** SIGKILL: no clean shutdown, no final save of its state. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts again on the same port with the same config and persistence file. */
    public void restart() throws IOException, InterruptedException {
        launch();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
