package dev.edgeq.device.mqtt;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Properties;

/**
 * An MQTT broker inside edgeq (Moquette) for a machine with none: bound to 127.0.0.1 only, anonymous
 * access (nothing outside the machine can reach it), telemetry off, no persistence (the device's own
 * outbox keeps undelivered messages). Started when no broker is configured.
 *
 * <p>Moquette (with Netty) is twice the size of everything else a board needs, so the board jar
 * (device/target/edgeq.jar) leaves it out and a board publishes to a real broker; the full tool
 * (cli/target/edgeq-cli.jar, which tools/edgeq runs) carries it.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private final Runnable stop;
    private final int port;

    private EmbeddedBroker(int port, Runnable stop) {
        this.port = port;
        this.stop = stop;
    }

    /** Starts on {@code preferredPort}, or on a free port when that one is taken. */
    public static EmbeddedBroker start(int preferredPort) throws IOException {
        if (!available()) {
            throw new IOException("no MQTT broker configured, and this jar (the board jar) has no embedded one: "
                    + "give --broker tcp://HOST:1883 (e.g. Mosquitto on the board, see docs/raspberry-pi.md), "
                    + "or use the full tool (tools/edgeq, cli/target/edgeq-cli.jar), which has one");
        }
        int port = isFree(preferredPort) ? preferredPort : freePort();
        return new EmbeddedBroker(port, Moquette.start(port));
    }

    /**
     * The only code that names Moquette's classes: kept out of EmbeddedBroker so that the JVM can load and
     * verify EmbeddedBroker (and report the missing broker) in a jar without Moquette.
     */
    private static final class Moquette {
        static Runnable start(int port) throws IOException {
            Properties p = new Properties();
            p.setProperty("host", "127.0.0.1");
            p.setProperty("port", Integer.toString(port));
            p.setProperty("websocket_port", "disabled");
            p.setProperty("allow_anonymous", "true");
            p.setProperty("telemetry_enabled", "false");
            p.setProperty("persistence_enabled", "false");
            p.setProperty("use_bugsnag", "false");
            p.setProperty("use_metrics", "false");
            Server server = new Server();
            server.startServer(new MemoryConfig(p));
            return server::stopServer;
        }
    }

    /** Whether Moquette is on the class path (the full tool: yes; the board jar: no). */
    public static boolean available() {
        try {
            Class.forName("io.moquette.broker.Server", false, EmbeddedBroker.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    private static boolean isFree(int port) {
        if (port <= 0) return false;
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        stop.run();
    }
}
