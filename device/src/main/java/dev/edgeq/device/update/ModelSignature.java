package dev.edgeq.device.update;

import dev.edgeq.device.Json;
import dev.edgeq.format.InputSpec;
import dev.edgeq.runtime.Model;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;

/**
 * The detached signature of a model file ({@code MODEL.eqm.sig}, JSON): Ed25519 over a canonical text of
 * the file's SHA-256 and size and the model's metadata (name, input H x W x C, label count), the signer's
 * name, the key's fingerprint and the signing time:
 * <pre>
 * {"format":1,"sha256":"3f2a...","size":90112,"name":"garage-door","input":"96x96x1","labels":2,
 *  "signer":"alice","key":"5c1e0a9f3b2d7e41","signed":"2026-12-02T10:00:00Z","signature":"base64..."}
 * </pre>
 * Every field but {@code signature} is covered by it, so none can be changed without the key.
 */
public record ModelSignature(String sha256, long size, String name, String input, int labels, String signer,
                             String key, String signed, byte[] signature) {
    /** Signs the model file's bytes. */
    public static ModelSignature sign(byte[] modelBytes, Model model, String signer, PrivateKey privateKey, PublicKey publicKey)
            throws GeneralSecurityException {
        ModelSignature unsigned = new ModelSignature(model.sha256(), modelBytes.length, model.name(), input(model),
                model.labels().size(), signer, SigningKeys.fingerprint(publicKey),
                dev.edgeq.device.loop.ClassificationJson.isoMillis(System.currentTimeMillis()), null);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(privateKey);
        s.update(unsigned.signedText());
        return unsigned.withSignature(s.sign());
    }

    private ModelSignature withSignature(byte[] sig) {
        return new ModelSignature(sha256, size, name, input, labels, signer, key, signed, sig);
    }

    static String input(Model model) {
        InputSpec spec = model.metadata().getInputSpec();
        return spec.getHeight() + "x" + spec.getWidth() + "x" + spec.getChannels();
    }

    /** The bytes the signature covers; one field per line, so no field may contain a line break. */
    byte[] signedText() {
        for (String f : new String[] {sha256, name, input, signer, key, signed}) {
            if (f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) throw new IllegalArgumentException("a signature field contains a line break");
        }
        return ("edgeq-model-signature 1\nsha256 " + sha256 + "\nsize " + size + "\nname " + name + "\ninput " + input
                + "\nlabels " + labels + "\nsigner " + signer + "\nkey " + key + "\nsigned " + signed + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the signature is valid for {@code trusted}; the caller checks that the file matches it. */
    public boolean verifies(PublicKey trusted) {
        try {
            if (signature == null) return false;
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(trusted);
            s.update(signedText());
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    public Map<String, Object> toJson() {
        Map<String, Object> o = Json.object();
        o.put("format", 1);
        o.put("sha256", sha256);
        o.put("size", size);
        o.put("name", name);
        o.put("input", input);
        o.put("labels", labels);
        o.put("signer", signer);
        o.put("key", key);
        o.put("signed", signed);
        o.put("signature", Base64.getEncoder().encodeToString(signature));
        return o;
    }

    public byte[] toBytes() {
        return Json.pretty(toJson());
    }

    /** Reads a signature object; a missing or malformed field is an error naming it. */
    public static ModelSignature fromJson(Object json) {
        if (!(json instanceof Map<?, ?>)) throw new IllegalArgumentException("no signature object");
        @SuppressWarnings("unchecked")
        Map<String, Object> o = (Map<String, Object>) json;
        if (!Long.valueOf(1).equals(o.get("format"))) throw new IllegalArgumentException("signature format " + o.get("format") + " is not 1");
        try {
            return new ModelSignature(text(o, "sha256"), Json.whole(o, "size"), text(o, "name"), text(o, "input"),
                    (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Json.whole(o, "labels"))), text(o, "signer"),
                    text(o, "key"), text(o, "signed"), Base64.getDecoder().decode(text(o, "signature")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad signature: " + e.getMessage(), e);
        }
    }

    public static ModelSignature parse(byte[] json) {
        try {
            return fromJson(Json.readObject(json));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("signature is not JSON: " + e.getMessage(), e);
        }
    }

    private static String text(Map<String, Object> o, String field) {
        String v = Json.text(o, field);
        if (v == null) throw new IllegalArgumentException("field '" + field + "' missing");
        return v;
    }
}
