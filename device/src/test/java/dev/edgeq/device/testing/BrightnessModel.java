package dev.edgeq.device.testing;

import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.runtime.testing.ModelBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real .eqm model whose answer a test can predict: 8x8 gray input -> global average pool -> dense(2) (logits), labels "dark" and "bright". A white region is "bright" and a black one "dark" with a score of
 * about 1.0; mid gray (128) is 50/50, below any useful min-score.
 */
public final class BrightnessModel {
    private BrightnessModel() {}

    public static ModelFile build(String name, float gain) {
        ModelBuilder b = new ModelBuilder().name(name).labels("dark", "bright").inputSpec(8, 8, 1, 0.5f, 0.25f);
        int x = b.floatActivation("input", 1, 8, 8, 1);
        int g = b.floatActivation("gap", 1, 1, 1, 1);
        b.op(ModelBuilder.op("gap", OpType.GLOBAL_AVERAGE_POOL, g, x).build());
        int flat = b.floatActivation("flat", 1, 1);
        b.op(ModelBuilder.op("flatten", OpType.RESHAPE, flat, g).build());
        // normalized mean m is in -2..2 (white: +2): logits (-gain*m, +gain*m)
        int w = b.floatConstant("w", new float[] {-gain, gain}, 2, 1);
        int bias = b.floatConstant("b", new float[] {0, 0}, 2);
        int logits = b.floatActivation("logits", 1, 2);
        b.op(ModelBuilder.op("dense", OpType.FULLY_CONNECTED, logits, flat, w, bias).setFullyConnected(ModelBuilder.fc()).build());
        return b.io(x, logits).build(); // the Classifier applies softmax to the logits
    }

    public static Path write(Path file, String name, float gain) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, build(name, gain).toByteArray());
        return file;
    }

    public static Path write(Path file) throws IOException {
        return write(file, "brightness", 5f);
    }
}
