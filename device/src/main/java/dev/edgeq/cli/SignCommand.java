package dev.edgeq.cli;

import dev.edgeq.device.update.ModelSignature;
import dev.edgeq.device.update.SigningKeys;
import dev.edgeq.device.update.UpdatePayload;
import dev.edgeq.runtime.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;

/** {@code edgeq sign MODEL.eqm --key NAME.key}: a detached signature and the model/set message. */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = {"Sign a model for devices that trust your key: writes MODEL.eqm.sig (detached signature over the",
                "file's SHA-256 and its metadata) and MODEL.eqm.update (the message to publish on <topic-root>model/set)."})
public final class SignCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL.eqm")
    Path model;
    @Option(names = "--key", required = true, paramLabel = "NAME.key", description = "private key from edgeq keygen (NAME.pub must be next to it)")
    Path key;
    @Option(names = "--signer", paramLabel = "NAME", description = "who signs, shown in the device's model/status (default: the user name)")
    String signer;

    @Override
    public Integer call() throws Exception {
        String k = key.getFileName().toString();
        if (!k.endsWith(".key")) throw new Main.UsageError("--key: expected the NAME.key file that edgeq keygen wrote, got " + key);
        Path pubFile = key.resolveSibling(k.substring(0, k.length() - 4) + ".pub");
        PublicKey pub = SigningKeys.readPublic(pubFile);
        byte[] bytes = Files.readAllBytes(model);
        Model m = Model.fromBytes(bytes);
        String who = signer != null ? signer : System.getProperty("user.name", "unknown");
        ModelSignature sig = ModelSignature.sign(bytes, m, who, SigningKeys.readPrivate(key), pub);
        if (!sig.verifies(pub)) throw new IllegalStateException(key + " and " + pubFile + " are not one key pair");
        Path sigFile = model.resolveSibling(model.getFileName() + ".sig");
        Path update = model.resolveSibling(model.getFileName() + ".update");
        Files.write(sigFile, sig.toBytes());
        Files.write(update, UpdatePayload.build(bytes, sig));
        System.out.println("signed " + model + " (" + m.name() + ", sha256 " + m.sha256().substring(0, 12) + ") as " + who
                + " with key " + sig.key() + ": wrote " + sigFile + " and " + update);
        return 0;
    }
}
