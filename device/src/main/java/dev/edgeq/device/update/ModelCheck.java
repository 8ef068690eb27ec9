package dev.edgeq.device.update;

import dev.edgeq.device.loop.RuntimeFrameClassifier;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;

import java.security.PublicKey;

/**
 * Everything a model must pass before it may run on the device: the signature verifies with the trusted
 * key, the file is the one signed (size, SHA-256), its metadata is the signed metadata, it loads
 * ({@code Model.fromBytes}), an interpreter can be created, its input has the channels the camera delivers,
 * and one trial inference gives finite outputs.
 */
public final class ModelCheck {
    private final PublicKey trusted;
    private final String trustedFingerprint;
    private final long maxBytes;
    private final int channels;
    private final int topK;

    /** {@code channels}: the input channels the camera delivers; 0 or less: any (at start, before the camera opens). */
    public ModelCheck(PublicKey trusted, long maxBytes, int channels, int topK) {
        this.trusted = trusted;
        this.trustedFingerprint = SigningKeys.fingerprint(trusted);
        this.maxBytes = maxBytes;
        this.channels = channels;
        this.topK = topK;
    }

    /** A classifier for the checked model (the caller owns it), or the reason it is refused. */
    public RuntimeFrameClassifier check(byte[] bytes, ModelSignature sig) throws UpdateRejected {
        if (sig == null) throw new UpdateRejected("unsigned model: a signature (edgeq sign) is required");
        if (bytes.length > maxBytes) {
            throw new UpdateRejected("model of " + bytes.length + " bytes is larger than model-max-bytes " + maxBytes);
        }
        if (!sig.key().equals(trustedFingerprint)) {
            throw new UpdateRejected("signed with key " + sig.key() + " (signer '" + sig.signer() + "'), but the device trusts key "
                    + trustedFingerprint);
        }
        if (!sig.verifies(trusted)) throw new UpdateRejected("signature does not verify with the trusted key " + trustedFingerprint);
        if (bytes.length != sig.size()) {
            throw new UpdateRejected("model is " + bytes.length + " bytes, the signature is for " + sig.size() + " bytes (truncated?)");
        }
        Model model;
        try {
            model = Model.fromBytes(bytes);
        } catch (ModelFormatException e) {
            throw new UpdateRejected("model does not load: " + e.getMessage(), e);
        }
        if (!model.sha256().equals(sig.sha256())) {
            throw new UpdateRejected("model SHA-256 " + model.sha256() + " differs from the signed " + sig.sha256() + " (tampered?)");
        }
        if (!model.name().equals(sig.name()) || !ModelSignature.input(model).equals(sig.input()) || model.labels().size() != sig.labels()) {
            throw new UpdateRejected("model metadata differs from the signed metadata");
        }
        RuntimeFrameClassifier c;
        try {
            c = RuntimeFrameClassifier.of(model, topK);
        } catch (ModelFormatException | RuntimeException e) {
            throw new UpdateRejected("cannot create an interpreter: " + e.getMessage(), e);
        }
        if (channels > 0 && c.inputChannels() != channels) {
            c.close();
            throw new UpdateRejected("model wants " + c.inputChannels() + " channel(s), the camera delivers " + channels
                    + "; restart the device with --model for that");
        }
        int bad;
        try {
            bad = c.trialNonFiniteOutput();
        } catch (RuntimeException e) {
            c.close();
            throw new UpdateRejected("trial inference failed: " + e, e);
        }
        if (bad >= 0) {
            c.close();
            throw new UpdateRejected("trial inference gave a non-finite output (index " + bad + ")");
        }
        return c;
    }

    public String trustedFingerprint() { return trustedFingerprint; }
}
