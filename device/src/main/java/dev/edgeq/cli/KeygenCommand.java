package dev.edgeq.cli;

import dev.edgeq.device.update.SigningKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;

/** {@code edgeq keygen NAME}: an Ed25519 key pair for signing model updates. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Create an Ed25519 key pair for signing models: NAME.key (private, mode 0600, keep it off the device)",
                "and NAME.pub (give it to devices as --trusted-key). See docs/device.md, 'Model updates'."})
public final class KeygenCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "file name prefix, e.g. keys/alice")
    String name;

    @Override
    public Integer call() throws Exception {
        KeyPair pair = SigningKeys.generate();
        Path priv = Path.of(name + ".key");
        Path pub = Path.of(name + ".pub");
        SigningKeys.write(pair, priv, pub);
        System.out.println("wrote " + priv + " (private) and " + pub + " (public), key " + SigningKeys.fingerprint(pair.getPublic()));
        return 0;
    }
}
