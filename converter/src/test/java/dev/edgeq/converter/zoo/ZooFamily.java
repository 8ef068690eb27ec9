package dev.edgeq.converter.zoo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One torchvision family as tools/zoo/zoo.py built it.
 *
 * @param architecture how it differs from the stock torchvision model ("stock" at full size)
 * @param size input height and width in pixels
 * @param onnxOps the ONNX op types its export uses
 * @param logits PyTorch's float logits on the test images (images x classes, little-endian float32)
 * @param calibrationImages, testImages raw RGB pixels, images x size x size x 3
 * @param fxSqnrDb PyTorch FX int8 logit SQNR vs float on the test images; NaN when {@code fxError}
 */
public record ZooFamily(String name, String architecture, int size, int classes, List<String> onnxOps, Path onnx,
        Path logits, Path calibrationImages, Path testImages, double fxSqnrDb, String fxError) {

    public float[][] floatLogits() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(logits)).order(ByteOrder.LITTLE_ENDIAN);
        float[][] r = new float[b.remaining() / 4 / classes][classes];
        for (float[] row : r) {
            b.asFloatBuffer().get(row);
            b.position(b.position() + 4 * classes);
        }
        return r;
    }

    public RawImages calibration() throws IOException {
        return RawImages.read(calibrationImages, size, size, 3);
    }

    public RawImages test() throws IOException {
        return RawImages.read(testImages, size, size, 3);
    }
}
