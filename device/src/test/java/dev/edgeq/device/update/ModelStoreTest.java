package dev.edgeq.device.update;

import dev.edgeq.device.testing.BrightnessModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The on-disk store of accepted updates, and the start-up choice after the crash states a swap can leave. */
class ModelStoreTest {
    @TempDir Path tmp;
    private final List<String> log = new ArrayList<>();

    private record Signed(byte[] model, ModelSignature sig) {}

    private Signed signed(Path alice, String name, float gain) throws Exception {
        Path m = BrightnessModel.write(tmp.resolve("src/" + name + ".eqm"), name, gain);
        UpdatePayload u = UpdatePayload.parse(Signing.sign(m, alice, "alice"), 1 << 20);
        return new Signed(u.model(), u.signature());
    }

    private ModelStartup.Chosen start(Path alice, ModelStore store) throws Exception {
        Path fallback = BrightnessModel.write(tmp.resolve("fallback.eqm"), "fallback", 5f);
        return ModelStartup.open(fallback, 2, Signing.pub(alice), store, 1 << 20, log::add);
    }

    @Test
    void startRunsTheLastGoodModelWhateverStateASwapLeft() throws Exception {
        Path alice = Signing.keygen(tmp.resolve("keys/alice"));
        Signed one = signed(alice, "one", 5f);
        Signed two = signed(alice, "two", 4f);
        ModelStore store = new ModelStore(tmp.resolve("models"), log::add);

        // nothing stored: the --model file
        assertEquals("fallback", start(alice, store).info().name());

        store.install(one.sig().sha256(), one.model(), one.sig().toBytes());
        store.install(two.sig().sha256(), two.model(), two.sig().toBytes());
        assertEquals(List.of(two.sig().sha256(), one.sig().sha256()), store.candidates().stream().map(ModelStore.Stored::sha256).toList());
        ModelStartup.Chosen c = start(alice, store);
        assertEquals("two", c.info().name());
        assertEquals("alice", c.info().signer());

        // crash while writing the next model: half a temp file, and half a pointer temp file
        Files.write(store.dir().resolve("f".repeat(64) + ".eqm.tmp"), Arrays.copyOf(one.model(), 10));
        Files.writeString(store.dir().resolve("current.tmp"), "ffff");
        assertEquals("two", start(alice, store).info().name(), "temp files of an unfinished install are ignored");

        // power cut on a file system that reordered writes: current names a truncated file
        Path current = store.dir().resolve(two.sig().sha256() + ".eqm");
        Files.write(current, Arrays.copyOf(two.model(), two.model().length / 2));
        c = start(alice, store);
        assertEquals("one", c.info().name(), "back to the previous model; log: " + log);
        assertEquals(one.sig().sha256(), Files.readString(store.dir().resolve("current")).trim(), "previous made current");
        assertTrue(log.stream().anyMatch(l -> l.contains("is not usable")), log.toString());

        // both broken: the --model file
        Files.write(store.dir().resolve(one.sig().sha256() + ".eqm"), new byte[] {1, 2, 3});
        assertEquals("fallback", start(alice, store).info().name());
    }

    @Test
    void onlyTheCurrentAndPreviousModelsAreKept() throws Exception {
        Path alice = Signing.keygen(tmp.resolve("keys/alice"));
        ModelStore store = new ModelStore(tmp.resolve("models"), log::add);
        for (int i = 1; i <= 4; i++) {
            Signed s = signed(alice, "m" + i, i);
            store.install(s.sig().sha256(), s.model(), s.sig().toBytes());
        }
        try (var files = Files.list(store.dir())) {
            assertEquals(6, files.count(), "current, previous, and two models with their signatures");
        }
    }
}
