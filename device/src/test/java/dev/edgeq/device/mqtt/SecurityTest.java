package dev.edgeq.device.mqtt;

import dev.edgeq.device.DeviceDaemon;
import dev.edgeq.device.config.DeviceConfig;
import dev.edgeq.device.loop.RuntimeFrameClassifier;
import dev.edgeq.device.testing.ChildJvm;
import dev.edgeq.device.testing.Mosquitto;
import dev.edgeq.device.testing.Subscriber;
import dev.edgeq.device.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Username/password and TLS (server-authenticated and mutual) against a real Mosquitto. */
class SecurityTest {
    @TempDir Path tmp;

    private static void exec(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    }

    @Test
    void wrongPasswordGivesOneClearErrorAndKeepsRetryingWithoutCrashing() throws Exception {
        Path bdir = Files.createDirectories(tmp.resolve("broker"));
        Path pw = bdir.resolve("passwd");
        exec(bdir, "mosquitto_passwd", "-c", "-b", pw.toString(), "cam", "s3cret-right");
        Path images = TestImages.imageDir(tmp.resolve("images"), 2);
        Path model = TestImages.smallModel(tmp.resolve("m.eqm"));
        try (Mosquitto broker = Mosquitto.start(bdir, Mosquitto.freePort(), List.of("allow_anonymous false", "password_file " + pw), List.of());
             ChildJvm dev = ChildJvm.start(tmp.resolve("dev.log"), Map.of("EDGEQ_MQTT_PASSWORD", "s3cret-wrong"), List.of("-Xmx64m"),
                     "--model", model.toString(), "--source", "dir:" + images, "--broker", broker.url(), "--device-id", "pw",
                     "--username", "cam", "--password-env", "EDGEQ_MQTT_PASSWORD", "--outbox-dir", tmp.resolve("outbox").toString())) {
            // bounded polling: JVM start-up on a loaded CI machine can take a while
            long end = System.currentTimeMillis() + 90_000;
            while (System.currentTimeMillis() < end && (!dev.output().contains("cannot connect")
                    || broker.log().lines().filter(l -> l.contains("New connection from")).count() < 3)) {
                Thread.sleep(200);
            }
            Thread.sleep(1000);
            assertTrue(dev.process().isAlive(), "still running: " + dev.output());
            String out = dev.output();
            long errorLines = out.lines().filter(l -> l.contains("cannot connect")).count();
            assertEquals(1, errorLines, out);
            assertTrue(out.contains("bad user name or password for user 'cam'") || out.contains("not authorized (user 'cam')"), out);
            assertFalse(out.contains("s3cret"), "password never logged");
            assertFalse(out.contains("Exception"), "no stack trace: " + out);
            long attempts = broker.log().lines().filter(l -> l.contains("New connection from")).count();
            assertTrue(attempts >= 3, "retried with backoff: " + attempts + " attempts");
        }
    }

    @Test
    void rightPasswordConnects() throws Exception {
        Path bdir = Files.createDirectories(tmp.resolve("broker"));
        Path pw = bdir.resolve("passwd");
        exec(bdir, "mosquitto_passwd", "-c", "-b", pw.toString(), "cam", "s3cret-right");
        try (Mosquitto broker = Mosquitto.start(bdir, Mosquitto.freePort(), List.of("allow_anonymous false", "password_file " + pw), List.of());
             Subscriber sub = new Subscriber(broker.url(), "pw-sub", "edgeq/#", false, "cam", "s3cret-right".toCharArray(), null)) {
            DeviceConfig c = config(broker.url(), "pwok");
            c.username = "cam";
            c.password = "s3cret-right";
            assertEquals(0, runOnce(c));
            assertTrue(sub.await(ms -> Subscriber.count(ms, "edgeq/pwok/classification", null) == 2, 10_000), "" + sub.messages());
        }
    }

    /** A CA, a server certificate for localhost/127.0.0.1 and a client certificate, made with the openssl CLI. */
    private Path makePki() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("pki"));
        exec(d, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=edgeq test CA");
        Files.writeString(d.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        exec(d, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        exec(d, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.pem", "-days", "2", "-extfile", "server.ext");
        Files.writeString(d.resolve("other.ext"), "subjectAltName=DNS:not-this-host.example\n");
        exec(d, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out", "other.csr", "-subj", "/CN=not-this-host.example");
        exec(d, "openssl", "x509", "-req", "-in", "other.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "other.pem", "-days", "2", "-extfile", "other.ext");
        // client key as EC PKCS#8 ("BEGIN PRIVATE KEY")
        exec(d, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "client.key",
                "-out", "client.csr", "-subj", "/CN=edgeq-device");
        exec(d, "openssl", "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "client.pem", "-days", "2");
        // the same client key as PKCS#1 RSA, to check that form too
        exec(d, "openssl", "genrsa", "-traditional", "-out", "client-rsa.key", "2048");
        exec(d, "openssl", "req", "-new", "-key", "client-rsa.key", "-out", "client-rsa.csr", "-subj", "/CN=edgeq-device-rsa");
        exec(d, "openssl", "x509", "-req", "-in", "client-rsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "client-rsa.pem", "-days", "2");
        return d;
    }

    private static List<String> tlsListener(Path pki, String cert, boolean requireClientCert) {
        List<String> l = new ArrayList<>(List.of("allow_anonymous true", "cafile " + pki.resolve("ca.pem"),
                "certfile " + pki.resolve(cert + ".pem"), "keyfile " + pki.resolve(cert + ".key")));
        if (requireClientCert) l.add("require_certificate true");
        return l;
    }

    @Test
    void tlsWithTheTestCaAndMutualTls() throws Exception {
        Path pki = makePki();
        // server-authenticated TLS
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("b1"), Mosquitto.freePort(), tlsListener(pki, "server", false), List.of())) {
            String url = "ssl://localhost:" + broker.port();
            try (Subscriber sub = new Subscriber(url, "tls-sub", "edgeq/#", false, null, null,
                    PemSsl.context(pki.resolve("ca.pem"), null, null).getSocketFactory())) {
                DeviceConfig c = config(url, "tls1");
                c.ca = pki.resolve("ca.pem").toString();
                assertEquals(0, runOnce(c));
                assertTrue(sub.await(ms -> Subscriber.count(ms, "edgeq/tls1/classification", null) == 2, 10_000), "" + sub.messages());
            }
        }
        // mutual TLS, EC PKCS#8 key and RSA PKCS#1 key
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("b2"), Mosquitto.freePort(), tlsListener(pki, "server", true), List.of())) {
            String url = "ssl://localhost:" + broker.port();
            for (String client : List.of("client", "client-rsa")) {
                try (Subscriber sub = new Subscriber(url, "mtls-sub-" + client, "edgeq/#", false, null, null,
                        PemSsl.context(pki.resolve("ca.pem"), pki.resolve("client.pem"), pki.resolve("client.key")).getSocketFactory())) {
                    DeviceConfig c = config(url, "mtls-" + client);
                    c.ca = pki.resolve("ca.pem").toString();
                    c.cert = pki.resolve(client + ".pem").toString();
                    c.key = pki.resolve(client + ".key").toString();
                    assertEquals(0, runOnce(c));
                    assertTrue(sub.await(ms -> Subscriber.count(ms, "edgeq/mtls-" + client + "/classification", null) == 2, 10_000),
                            client + ": " + sub.messages());
                }
            }
            // without a client certificate the broker refuses the device: it keeps the messages and keeps trying
            DeviceConfig c = config(url, "mtls-none");
            c.ca = pki.resolve("ca.pem").toString();
            List<String> log = new ArrayList<>();
            assertEquals(0, runOnce(c, log, 3000));
            assertTrue(log.stream().anyMatch(l -> l.contains("cannot connect")), "" + log);
            assertTrue(log.stream().anyMatch(l -> l.contains("2 messages not yet acknowledged stay in the outbox")), "" + log);
        }
        // hostname verification: a certificate for another host is refused
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("b3"), Mosquitto.freePort(), tlsListener(pki, "other", false), List.of())) {
            DeviceConfig c = config("ssl://localhost:" + broker.port(), "wronghost");
            c.ca = pki.resolve("ca.pem").toString();
            List<String> log = new ArrayList<>();
            assertEquals(0, runOnce(c, log, 3000));
            assertTrue(log.stream().anyMatch(l -> l.contains("cannot connect")), "" + log);
            assertFalse(log.stream().anyMatch(l -> l.contains("MQTT: connected")), "" + log);
        }
    }

    private DeviceConfig config(String url, String id) throws IOException {
        DeviceConfig c = new DeviceConfig();
        c.model = TestImages.smallModel(tmp.resolve("m.eqm")).toString();
        Path images = tmp.resolve("images");
        if (!Files.isDirectory(images)) TestImages.imageDir(images, 2);
        c.source = "dir:" + images;
        c.broker = url;
        c.deviceId = id;
        c.publish = "every-frame";
        c.statsInterval = 0;
        c.homeAssistant = false;
        c.outboxDir = tmp.resolve("outbox-" + id).toString();
        return c;
    }

    private int runOnce(DeviceConfig c) throws Exception {
        return runOnce(c, new ArrayList<>(), 20_000);
    }

    private int runOnce(DeviceConfig c, List<String> log, long flushMillis) throws Exception {
        try (RuntimeFrameClassifier cl = RuntimeFrameClassifier.open(Path.of(c.model), 3)) {
            return new DeviceDaemon(c, cl, new DeviceDaemon.Options(true, false, System.out, flushMillis),
                    s -> { synchronized (log) { log.add(s); } System.err.println("device: " + s); }).run();
        }
    }
}
