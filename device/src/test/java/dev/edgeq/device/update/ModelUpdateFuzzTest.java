package dev.edgeq.device.update;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeq.device.config.DeviceConfig;
import dev.edgeq.device.loop.FrameClassifier;
import dev.edgeq.runtime.testing.FuzzSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target: a {@code model/set} message as the device receives it ({@link ModelUpdater#handle}, the
 * same call the update thread makes), with a real trusted key, check and store. The property: a message
 * is either accepted (a classifier is handed to the loop) or refused with a reason on {@code
 * model/status} that is not an internal error; no exception escapes, no OutOfMemoryError in the
 * regression run's 64 MiB heap, nothing is written outside the store folder (the store holds only
 * {@code <sha256>.eqm}, {@code <sha256>.eqm.sig}, {@code current}, {@code previous}), a model named by
 * {@code {"path":...}} is never changed, and every log line is one line.
 *
 * <p>Seeds: {@code src/test/resources/dev/edgeq/device/update/ModelUpdateFuzzTestInputs} (provenance in
 * its README). The seeds with {@code {"path":...}} name files under {@link #ROOT}, which this class writes.
 */
class ModelUpdateFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fixed, so that the path seeds can name it. */
    static final Path ROOT = Path.of("/tmp/edgeq-fuzz-model-update");
    private static final Path STORE = ROOT.resolve("store");
    private static final Path MODELS = ROOT.resolve("models");
    private static final Pattern STORED = Pattern.compile("[0-9a-f]{64}\\.eqm(\\.sig)?|current|previous");
    private static final AtomicReference<byte[]> STATUS = new AtomicReference<>();
    private static final AtomicReference<String> BAD_LOG = new AtomicReference<>();
    private static ModelUpdater updater;
    private static List<Path> outsideStore;
    private static byte[] pathModel;

    @BeforeAll
    static void setUp() throws Exception {
        fuzzerInitialize();
    }

    /** Set-up, also called by Jazzer's command line ({@code tools/fuzz}) before the first input. */
    public static void fuzzerInitialize() throws Exception {
        deleteTree(ROOT);
        Files.createDirectories(MODELS);
        // the model and signature the path seeds name: the signed seed's own parts
        byte[] signed = resource("ModelUpdateFuzzTestInputs/handleMessage/signed-small-float-cnn.json");
        UpdatePayload u = UpdatePayload.parse(signed, Long.MAX_VALUE);
        pathModel = u.model();
        Files.write(MODELS.resolve("m.eqm"), pathModel);
        Files.write(MODELS.resolve("m.eqm.sig"), u.signatureBytes());
        Files.write(MODELS.resolve("unsigned.eqm"), pathModel);
        outsideStore = listOutsideStore();
        Path pub = ROOT.resolve("trusted.pub");
        Files.write(pub, resource("ModelUpdateFuzzTest.pub"));
        long maxBytes = new DeviceConfig().modelMaxBytes;
        ModelCheck check = new ModelCheck(SigningKeys.readPublic(pub), maxBytes, 0, 3);
        Files.delete(pub);
        updater = new ModelUpdater(check, new ModelStore(STORE, ModelUpdateFuzzTest::log), maxBytes,
                new ModelInfo("initial", "0".repeat(64), null, null, "initial.eqm"), STATUS::set, ModelUpdateFuzzTest::log);
        FuzzSupport.warmUp(ModelUpdateFuzzTest.class, "handleMessage", ModelUpdateFuzzTest::fuzzerTestOneInput);
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    void handleMessage(byte[] bytes) {
        fuzzerTestOneInput(bytes);
    }

    /** The target (also the entry point of Jazzer's command line, used by {@code tools/fuzz}). */
    public static void fuzzerTestOneInput(byte[] bytes) {
        STATUS.set(null);
        updater.handle(bytes);
        FrameClassifier accepted = updater.takePending();
        if (accepted != null) {
            accepted.close();
        } else {
            JsonNode status = status();
            String message = status.path("message").asText();
            if (!status.path("state").asText().equals("rejected") || message.startsWith("internal error")) {
                throw new IllegalStateException("update neither accepted nor rejected with a reason: " + status);
            }
        }
        String badLog = BAD_LOG.getAndSet(null);
        if (badLog != null) throw new IllegalStateException("log message of more than one line: " + badLog);
        checkFiles();
    }

    private static JsonNode status() {
        byte[] s = STATUS.get();
        if (s == null) throw new IllegalStateException("no accept and no model/status message");
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException("model/status is not JSON", e);
        }
    }

    private static void log(String line) {
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) BAD_LOG.set(line);
    }

    private static void checkFiles() {
        try {
            if (!listOutsideStore().equals(outsideStore)) {
                throw new IllegalStateException("files outside the store changed: " + listOutsideStore() + ", were " + outsideStore);
            }
            if (!java.util.Arrays.equals(Files.readAllBytes(MODELS.resolve("m.eqm")), pathModel)) {
                throw new IllegalStateException("the model named by {\"path\":...} was changed");
            }
            if (Files.isDirectory(STORE)) {
                try (Stream<Path> s = Files.list(STORE)) {
                    for (Path p : (Iterable<Path>) s::iterator) {
                        if (!STORED.matcher(p.getFileName().toString()).matches()) throw new IllegalStateException("unexpected file in the store: " + p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> listOutsideStore() throws IOException {
        try (Stream<Path> s = Files.walk(ROOT)) {
            return s.filter(p -> !p.startsWith(STORE)).sorted().collect(Collectors.toList());
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ModelUpdateFuzzTest.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + name);
            return in.readAllBytes();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) Files.delete(p);
        }
    }
}
