package dev.edgeq.device.update;

import java.util.Map;

/** The model in use, as {@code model/status} reports it; signer and key are null for an unsigned --model file. */
public record ModelInfo(String name, String sha256, String signer, String key, String file) {

    public static ModelInfo of(String name, String sha256, ModelSignature sig, String file) {
        return new ModelInfo(name, sha256, sig == null ? null : sig.signer(), sig == null ? null : sig.key(), file);
    }

    void writeTo(Map<String, Object> o) {
        o.put("name", name);
        o.put("sha256", sha256);
        o.put("signer", signer);
        o.put("key", key);
        o.put("file", file);
    }
}
