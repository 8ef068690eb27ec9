package dev.edgeq.cli;

import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The model argument of every subcommand that runs an edgeq model: a path that is missing, a folder, or an
 * ONNX file is a usage error (exit 2) with a message saying what was expected; an .eqm that cannot be read
 * is a runtime failure (exit 1).
 */
final class ModelFiles {
    private ModelFiles() {}

    /** Throws {@link Main.UsageError} unless {@code path} is an existing file that is not an ONNX model. */
    static void checkEqm(Path path) {
        checkExists(path, "an edgeq .eqm model file");
        if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) throw onnxGiven(path);
    }

    /** Throws {@link Main.UsageError} unless {@code path} is an existing regular file. */
    static void checkExists(Path path, String expected) {
        if (Files.isDirectory(path)) throw new Main.UsageError(path + " is a folder; expected " + expected);
        if (!Files.isRegularFile(path)) throw new Main.UsageError("model file not found: " + path + "; expected " + expected);
    }

    /** Loads an .eqm model after {@link #checkEqm}; an ONNX file with another name also gets the convert hint. */
    static Model load(Path path) throws IOException, ModelFormatException {
        checkEqm(path);
        try {
            return Model.load(path);
        } catch (ModelFormatException e) {
            if (looksLikeOnnx(path)) throw onnxGiven(path);
            throw e;
        }
    }

    private static boolean looksLikeOnnx(Path path) {
        try {
            dev.edgeq.onnx.ModelProto m = dev.edgeq.onnx.ModelProto.parseFrom(Files.readAllBytes(path));
            return m.hasGraph() && m.getGraph().getNodeCount() > 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Main.UsageError onnxGiven(Path path) {
        String name = path.getFileName().toString().replaceFirst("(?i)\\.onnx$", "");
        return new Main.UsageError(path + " is an ONNX model; this command runs edgeq .eqm models: convert it first with "
                + "edgeq convert " + path + " -o " + name + ".eqm --calibration SPEC (or --float)");
    }
}
