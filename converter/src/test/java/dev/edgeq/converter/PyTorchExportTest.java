package dev.edgeq.converter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.converter.testing.EdgeqRunner;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models exported by PyTorch 1.13's own exporter (resources/pytorch/export.py): a seedcnn-style
 * net flattened with x.view(x.size(0), -1) (Shape/Gather/Unsqueeze/Concat/Reshape), BatchNorm,
 * ReLU6 (Clip), ceil_mode max pool, depthwise conv, average pool with padding (exported as
 * Pad + AveragePool), LeakyReLU, Dropout; and a residual net with Add, adaptive average pool,
 * Flatten and Softmax. edgeq must reproduce PyTorch's eager outputs.
 */
class PyTorchExportTest {
    @TempDir
    Path dir;

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = PyTorchExportTest.class.getResourceAsStream("/pytorch/" + name)) {
            assertTrue(in != null, "missing test resource pytorch/" + name);
            return in.readAllBytes();
        }
    }

    private static float[] floats(String name) throws Exception {
        byte[] b = resource(name);
        float[] f = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    private ModelFile check(String onnx, String data, int[] shape, List<OpType> expectedOps) throws Exception {
        Path p = dir.resolve(onnx);
        Files.write(p, resource(onnx));
        ModelFile f = OnnxConverter.convertFloat(p, ConvertOptions.defaults());
        assertEquals(expectedOps, f.getOperatorsList().stream().map(Operator::getType).toList(), onnx);
        float[] got = EdgeqRunner.run(f, floats(data + "_x.bin"), shape);
        double d = EdgeqRunner.maxScaledDiff(got, floats(data + "_y.bin"));
        assertTrue(d <= 1e-4, onnx + ": edgeq vs PyTorch " + d);
        return f;
    }

    @Test
    void seedCnnWithViewFlattenAtOpsets11And13() throws Exception {
        List<OpType> ops = List.of(OpType.CONV_2D, OpType.MAX_POOL_2D, OpType.CONV_2D, OpType.MAX_POOL_2D,
                OpType.DEPTHWISE_CONV_2D, OpType.AVERAGE_POOL_2D, OpType.CONV_2D, OpType.LEAKY_RELU, OpType.RESHAPE,
                OpType.FULLY_CONNECTED, OpType.FULLY_CONNECTED);
        for (String onnx : new String[] {"seed11.onnx", "seed13.onnx"}) {
            check(onnx, "seed", new int[] {1, 1, 28, 28}, ops);
        }
    }

    @Test
    void residualNetAtOpset17() throws Exception {
        check("res17.onnx", "res", new int[] {1, 3, 16, 16}, List.of(OpType.CONV_2D, OpType.CONV_2D, OpType.ADD,
                OpType.GLOBAL_AVERAGE_POOL, OpType.RESHAPE, OpType.FULLY_CONNECTED, OpType.SOFTMAX));
    }
}
