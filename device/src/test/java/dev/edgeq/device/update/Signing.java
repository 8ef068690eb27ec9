package dev.edgeq.device.update;

import dev.edgeq.cli.Main;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Keys and signed models made with the real CLI ({@code edgeq keygen}, {@code edgeq sign}). */
final class Signing {
    private Signing() {}

    /** edgeq keygen PREFIX; returns PREFIX (PREFIX.key, PREFIX.pub). */
    static Path keygen(Path prefix) throws Exception {
        Files.createDirectories(prefix.getParent());
        assertEquals(0, Main.execute("keygen", prefix.toString()));
        return prefix;
    }

    /** edgeq sign MODEL --key PREFIX.key --signer NAME; returns the model/set message. */
    static byte[] sign(Path model, Path keyPrefix, String signer) throws Exception {
        assertEquals(0, Main.execute("sign", model.toString(), "--key", keyPrefix + ".key", "--signer", signer));
        return Files.readAllBytes(Path.of(model + ".update"));
    }

    static Path pub(Path prefix) {
        return Path.of(prefix + ".pub");
    }
}
