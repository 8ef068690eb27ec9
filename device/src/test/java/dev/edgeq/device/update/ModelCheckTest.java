package dev.edgeq.device.update;

import dev.edgeq.device.loop.RuntimeFrameClassifier;
import dev.edgeq.device.testing.BrightnessModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signed updates made by the real CLI, checked as the device checks them: good, tampered, wrong key, truncated, oversized, unsigned. */
class ModelCheckTest {
    @TempDir Path tmp;

    private ModelCheck check(Path keyPrefix, long max) throws Exception {
        return new ModelCheck(SigningKeys.readPublic(Signing.pub(keyPrefix)), max, 1, 2);
    }

    private String rejection(ModelCheck c, byte[] payload) {
        return assertThrows(UpdateRejected.class, () -> {
            UpdatePayload u = UpdatePayload.parse(payload, 1 << 20);
            c.check(u.model(), u.signature()).close();
        }).getMessage();
    }

    @Test
    void aGoodSignedModelPassesAndEachKindOfBadOneIsRejectedWithItsReason() throws Exception {
        Path alice = Signing.keygen(tmp.resolve("keys/alice"));
        Path mallory = Signing.keygen(tmp.resolve("keys/mallory"));
        Path model = BrightnessModel.write(tmp.resolve("m/door.eqm"), "door", 5f);
        byte[] good = Signing.sign(model, alice, "alice");
        ModelCheck c = check(alice, 1 << 20);

        UpdatePayload u = UpdatePayload.parse(good, 1 << 20);
        try (RuntimeFrameClassifier cl = c.check(u.model(), u.signature())) {
            assertEquals("door", cl.modelName());
            assertEquals(u.signature().sha256(), cl.modelSha256());
        }
        assertEquals("alice", u.signature().signer());

        // one byte of the model changed (the JSON is re-encoded around the changed base64)
        String json = new String(good, StandardCharsets.UTF_8);
        byte[] bytes = Files.readAllBytes(model);
        byte[] flipped = bytes.clone();
        flipped[flipped.length - 3] ^= 0x01;
        String tampered = json.replace(java.util.Base64.getEncoder().encodeToString(bytes), java.util.Base64.getEncoder().encodeToString(flipped));
        String r = rejection(c, tampered.getBytes(StandardCharsets.UTF_8));
        assertTrue(r.contains("tampered") || r.contains("does not load"), r);

        // the signature's metadata changed: the signature no longer verifies
        assertTrue(rejection(c, json.replace("\"name\":\"door\"", "\"name\":\"gate\"").getBytes(StandardCharsets.UTF_8))
                .contains("does not verify"));

        // a field given a line break (which would shift the signed text's lines) never verifies
        assertTrue(rejection(c, json.replace("\"signer\":\"alice\"", "\"signer\":\"alice\\nkey x\"").getBytes(StandardCharsets.UTF_8))
                .contains("does not verify"));

        // signed with a key the device does not trust
        byte[] wrongKey = Signing.sign(model, mallory, "mallory");
        r = rejection(c, wrongKey);
        assertTrue(r.startsWith("signed with key ") && r.contains("mallory") && r.contains("trusts key " + c.trustedFingerprint()), r);

        // truncated message (the JSON breaks) and a truncated model with its original signature
        assertTrue(rejection(c, Arrays.copyOf(good, good.length / 2)).contains("not valid JSON"));
        String truncatedModel = json.replace(java.util.Base64.getEncoder().encodeToString(bytes),
                java.util.Base64.getEncoder().encodeToString(Arrays.copyOf(bytes, bytes.length - 10)));
        assertTrue(rejection(c, truncatedModel.getBytes(StandardCharsets.UTF_8)).contains("truncated"));

        // unsigned: the raw .eqm, and JSON without a signature
        assertTrue(rejection(c, bytes).startsWith("unsigned model"));
        assertTrue(rejection(c, ("{\"path\":\"" + tmp.resolve("m/other.eqm") + "\"}").getBytes(StandardCharsets.UTF_8)).contains("not found"));

        // oversized: the message, and a model over the device's limit
        byte[] huge = new byte[200_000];
        Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        assertTrue(assertThrows(UpdateRejected.class, () -> UpdatePayload.parse(huge, 100_000)).getMessage()
                .startsWith("update of 200000 bytes is larger than model-max-bytes 100000"));
        assertTrue(assertThrows(UpdateRejected.class, () -> check(alice, 100).check(u.model(), u.signature()))
                .getMessage().contains("larger than model-max-bytes 100"));
    }

    @Test
    void aPathReferenceWithItsSigFileIsAcceptedAndAModelWithNonFiniteOutputsIsNot() throws Exception {
        Path alice = Signing.keygen(tmp.resolve("keys/alice"));
        Path model = BrightnessModel.write(tmp.resolve("m/door.eqm"), "door", 5f);
        Signing.sign(model, alice, "alice");
        ModelCheck c = check(alice, 1 << 20);
        UpdatePayload u = UpdatePayload.parse(("{\"path\":\"" + model + "\"}").getBytes(StandardCharsets.UTF_8), 1 << 20);
        c.check(u.model(), u.signature()).close();

        Path nan = BrightnessModel.write(tmp.resolve("m/nan.eqm"), "nan", Float.NaN);
        String r = rejection(c, Signing.sign(nan, alice, "alice"));
        assertTrue(r.contains("non-finite"), r);
    }
}
