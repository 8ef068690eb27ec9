package dev.edgeq.device.update;

import dev.edgeq.device.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * A message on {@code model/set}: the signed model in the payload, as {@code edgeq sign} writes it to
 * {@code MODEL.eqm.update}:
 * <pre>{"signature":{...MODEL.eqm.sig...},"model":"base64 of the .eqm file"}</pre>
 * or a file the device can read: {@code {"path":"/srv/models/m.eqm"}} (signature from {@code m.eqm.sig}
 * next to it, or inline as {@code "signature"}).
 */
public record UpdatePayload(byte[] model, ModelSignature signature, byte[] signatureBytes) {
    public static UpdatePayload parse(byte[] payload, long maxModelBytes) throws UpdateRejected {
        // base64 is 4/3 of the model, plus the signature and JSON around it (computed from the payload's
        // side: maxModelBytes * 4 / 3 overflows for a model-max-bytes near Long.MAX_VALUE)
        if ((payload.length - 65_536L) / 4 * 3 > maxModelBytes) {
            throw new UpdateRejected("update of " + payload.length + " bytes is larger than model-max-bytes " + maxModelBytes + " allows");
        }
        if (payload.length == 0 || payload[0] != '{') {
            throw new UpdateRejected("unsigned model: expected the JSON that 'edgeq sign' writes (MODEL.eqm.update) or {\"path\":...}, got "
                    + payload.length + " bytes that are not JSON");
        }
        Map<String, Object> root;
        String modelText;
        String pathText;
        try {
            root = Json.readObject(payload);
            modelText = Json.text(root, "model");
            pathText = Json.text(root, "path");
        } catch (IOException e) {
            throw new UpdateRejected("update is not valid JSON (truncated?): " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UpdateRejected("update: " + e.getMessage(), e);
        }
        Object sigNode = root.get("signature");
        byte[] model;
        if (modelText != null) {
            try {
                model = Base64.getDecoder().decode(modelText);
            } catch (IllegalArgumentException e) {
                throw new UpdateRejected("'model' is not base64: " + e.getMessage(), e);
            }
        } else if (pathText != null) {
            Path p;
            try {
                p = Path.of(pathText);
            } catch (java.nio.file.InvalidPathException e) {
                throw new UpdateRejected("'path' is not a file name: " + e.getMessage(), e);
            }
            try {
                if (!Files.isRegularFile(p)) throw new UpdateRejected("model file not found on the device: " + p);
                if (Files.size(p) > maxModelBytes) {
                    throw new UpdateRejected("model file " + p + " has " + Files.size(p) + " bytes, more than model-max-bytes " + maxModelBytes);
                }
                model = Files.readAllBytes(p);
                if (sigNode == null) {
                    Path sigFile = p.resolveSibling(p.getFileName() + ".sig");
                    if (!Files.isRegularFile(sigFile)) throw new UpdateRejected("unsigned model: no signature in the message and no " + sigFile);
                    sigNode = Json.readObject(Files.readAllBytes(sigFile));
                }
            } catch (IOException e) {
                throw new UpdateRejected("cannot read " + p + ": " + e.getMessage(), e);
            }
        } else {
            throw new UpdateRejected("update has neither 'model' (base64) nor 'path'");
        }
        if (sigNode == null) throw new UpdateRejected("unsigned model: the update has no 'signature'");
        ModelSignature sig;
        try {
            sig = ModelSignature.fromJson(sigNode);
        } catch (IllegalArgumentException e) {
            throw new UpdateRejected(e.getMessage(), e);
        }
        return new UpdatePayload(model, sig, sig.toBytes());
    }

    /** The {@code model/set} message for a signed model. */
    public static byte[] build(byte[] model, ModelSignature sig) {
        Map<String, Object> o = Json.object();
        o.put("signature", sig.toJson());
        o.put("model", Base64.getEncoder().encodeToString(model));
        return Json.bytes(o);
    }
}
