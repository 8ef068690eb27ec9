package dev.edgeq.converter;

import static dev.edgeq.converter.testing.OnnxBuilder.f;
import static dev.edgeq.converter.testing.OnnxBuilder.i;
import static dev.edgeq.converter.testing.OnnxBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.converter.inspect.InspectReport;
import dev.edgeq.converter.inspect.ModelInspector;
import dev.edgeq.converter.testing.EdgeqRunner;
import dev.edgeq.converter.testing.OnnxBuilder;
import dev.edgeq.format.ModelFile;
import dev.edgeq.onnx.ModelProto;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An AlexNet-shaped model (227x227x3; conv 96/11/4, LRN, max pool, conv 256/5, LRN, max pool,
 * three 3x3 convs, max pool, dense 4096, 4096, 1000; random weights, ~62M parameters) converts,
 * inspects with the expected totals, and runs once.
 */
class AlexNetShapedTest {
    static ModelProto alexNet() {
        OnnxBuilder b = new OnnxBuilder();
        Random rng = new Random(2012);
        String x = b.input("data", 1, 3, 227, 227);
        x = conv(b, rng, x, "conv1", 96, 3, 11, 4, 0);
        x = b.node("LRN", new String[] {x}, i("size", 5), f("alpha", 1e-4f), f("beta", 0.75f), f("bias", 2f));
        x = b.node("MaxPool", new String[] {x}, ints("kernel_shape", 3, 3), ints("strides", 2, 2));
        x = conv(b, rng, x, "conv2", 256, 96, 5, 1, 2);
        x = b.node("LRN", new String[] {x}, i("size", 5), f("alpha", 1e-4f), f("beta", 0.75f), f("bias", 2f));
        x = b.node("MaxPool", new String[] {x}, ints("kernel_shape", 3, 3), ints("strides", 2, 2));
        x = conv(b, rng, x, "conv3", 384, 256, 3, 1, 1);
        x = conv(b, rng, x, "conv4", 384, 384, 3, 1, 1);
        x = conv(b, rng, x, "conv5", 256, 384, 3, 1, 1);
        x = b.node("MaxPool", new String[] {x}, ints("kernel_shape", 3, 3), ints("strides", 2, 2));
        x = b.node("Flatten", x);
        x = dense(b, rng, x, "fc6", 4096, 256 * 6 * 6, true);
        x = b.node("Dropout", x);
        x = dense(b, rng, x, "fc7", 4096, 4096, true);
        x = dense(b, rng, x, "fc8", 1000, 4096, false);
        b.output(b.node("Softmax", x));
        return b.build();
    }

    private static String conv(OnnxBuilder b, Random rng, String x, String name, int o, int c, int k, int s, int p) {
        String y = b.node("Conv", new String[] {x, b.random(name + ".weight", rng, (float) (1 / Math.sqrt(c * k * k)), o, c, k, k),
                b.random(name + ".bias", rng, 0.01f, o)}, ints("kernel_shape", k, k), ints("strides", s, s), ints("pads", p, p, p, p));
        return b.node("Relu", y);
    }

    private static String dense(OnnxBuilder b, Random rng, String x, String name, int out, int in, boolean relu) {
        String y = b.node("Gemm", new String[] {x, b.random(name + ".weight", rng, (float) (1 / Math.sqrt(in)), out, in),
                b.random(name + ".bias", rng, 0.01f, out)}, i("transB", 1));
        return relu ? b.node("Relu", y) : y;
    }

    @Test
    void convertsInspectsAndRuns() throws Exception {
        ModelProto m = alexNet();
        ModelFile f = EdgeqRunner.convert(m);
        InspectReport r = ModelInspector.inspect(f, "alexnet", "onnx");
        long params = 34_944 + 614_656 + 885_120 + 1_327_488 + 884_992 + 37_752_832 + 16_781_312 + 4_097_000;
        assertEquals(params, r.totalParams());
        assertEquals(params * 4, r.weightBytes());
        assertEquals("6x6x256", r.layers().stream().filter(l -> l.op().equals("MAX_POOL_2D")).reduce((a, c) -> c)
                .orElseThrow().outputHwc());
        float[] in = OnnxBuilder.randomData(new Random(1), 3 * 227 * 227);
        float[] out = EdgeqRunner.run(f, in, new int[] {1, 3, 227, 227});
        assertEquals(1000, out.length);
        double sum = 0;
        for (float v : out) {
            assertTrue(v >= 0 && v <= 1 && !Float.isNaN(v));
            sum += v;
        }
        assertEquals(1.0, sum, 1e-3);
    }
}
