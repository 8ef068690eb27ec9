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
 */
public final class EmbeddedBroker implements AutoCloseable {
    private final Server server = new Server();
    private final int port;

    private EmbeddedBroker(int port) {
        this.port = port;
    }

    /** Starts on {@code preferredPort}, or on a free port when that one is taken. */
    public static EmbeddedBroker start(int preferredPort) throws IOException {
        int port = isFree(preferredPort) ? preferredPort : freePort();
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", Integer.toString(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", "true");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("use_bugsnag", "false");
        p.setProperty("use_metrics", "false");
        EmbeddedBroker b = new EmbeddedBroker(port);
        b.server.startServer(new MemoryConfig(p));
        return b;
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
        server.stopServer();
    }
}
