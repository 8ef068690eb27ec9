package dev.edgeq.device.update;

import dev.edgeq.device.loop.RuntimeFrameClassifier;
import dev.edgeq.runtime.ModelFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.function.Consumer;

/**
 * Which model runs at start: with a trusted key, the last good update (the store's current model, else its
 * previous one) if it still passes every check; otherwise the {@code --model} file. So a device that
 * crashed in the middle of an update, or lost power, comes back with a model that works.
 */
public final class ModelStartup {
    private ModelStartup() {}

    public record Chosen(RuntimeFrameClassifier classifier, ModelInfo info) {}

    /** The model for these settings, the store being {@code modelDir}. */
    public static Chosen open(dev.edgeq.device.config.DeviceConfig c, Path modelDir, Consumer<String> log)
            throws IOException, ModelFormatException {
        return open(Path.of(c.model), c.topK, c.trustedKey == null ? null : Path.of(c.trustedKey), new ModelStore(modelDir, log),
                c.modelMaxBytes, log);
    }

    public static Chosen open(Path modelFile, int topK, Path trustedKey, ModelStore store, long maxBytes, Consumer<String> log)
            throws IOException, ModelFormatException {
        if (trustedKey != null && store != null) {
            PublicKey key = SigningKeys.readPublic(trustedKey);
            for (ModelStore.Stored s : store.candidates()) {
                try {
                    byte[] bytes = Files.readAllBytes(s.model());
                    ModelSignature sig = ModelSignature.parse(Files.readAllBytes(s.signature()));
                    // channels are free at start: the camera is opened for the model that runs
                    RuntimeFrameClassifier c = new ModelCheck(key, maxBytes, -1, topK).check(bytes, sig);
                    if (!s.equals(store.candidates().get(0))) {
                        store.makeCurrent(s.sha256());
                        log.accept("model store: the current model failed its checks; back to the previous one");
                    }
                    log.accept("running the last accepted model update " + c.modelName() + " (" + s.sha256().substring(0, 12)
                            + ", signed by " + sig.signer() + ") from " + store.dir() + " instead of " + modelFile);
                    return new Chosen(c, ModelInfo.of(c.modelName(), c.modelSha256(), sig, s.model().toString()));
                } catch (UpdateRejected | IOException | IllegalArgumentException e) {
                    log.accept("model store: " + s.model() + " is not usable (" + e.getMessage() + "); trying the next");
                }
            }
        }
        RuntimeFrameClassifier c = RuntimeFrameClassifier.open(modelFile, topK);
        return new Chosen(c, ModelInfo.of(c.modelName(), c.modelSha256(), null, modelFile.toString()));
    }
}
