package dev.edgeq.converter;

import static dev.edgeq.converter.testing.OnnxBuilder.i;
import static dev.edgeq.converter.testing.OnnxBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.edgeq.converter.testing.EdgeqRunner;
import dev.edgeq.converter.testing.OnnxBuilder;
import org.junit.jupiter.api.Test;

/**
 * ceil_mode with count_include_pad, where ONNX Runtime before AveragePool-19 is not a usable
 * oracle (onnxruntime issue #16203): expected values are PyTorch 1.13 eager outputs
 * (torch.nn.functional.avg_pool2d / max_pool2d on arange inputs, Debian python3-torch), which
 * follow the ONNX definition: the divisor is the window clipped to [-pad, size + pad).
 */
class PoolSemanticsTest {
    private static float[] pool(String op, int h, int w, int kh, int kw, int s, int p, boolean includePad) throws Exception {
        OnnxBuilder b = new OnnxBuilder();
        String x = b.input("x", 1, 1, h, w);
        String y = op.equals("MaxPool")
                ? b.node(op, new String[] {x}, ints("kernel_shape", kh, kw), ints("strides", s, s), ints("pads", p, p, p, p),
                        i("ceil_mode", 1))
                : b.node(op, new String[] {x}, ints("kernel_shape", kh, kw), ints("strides", s, s), ints("pads", p, p, p, p),
                        i("ceil_mode", 1), i("count_include_pad", includePad ? 1 : 0));
        b.output(y);
        float[] in = new float[h * w];
        for (int k = 0; k < in.length; k++) {
            in[k] = k + 1;
        }
        return EdgeqRunner.run(EdgeqRunner.convert(b.build()), in, new int[] {1, 1, h, w});
    }

    @Test
    void averagePoolCeilModeCountIncludePadMatchesPyTorch() throws Exception {
        // F.avg_pool2d(arange(1,17).reshape(1,1,4,4), 3, 2, 1, ceil_mode=True, count_include_pad=True)
        assertArrayEquals(new float[] {1.5555556f, 3.3333333f, 2.0f, 6.3333335f, 11.0f, 6.0f, 4.5f, 7.5f, 4.0f},
                pool("AveragePool", 4, 4, 3, 3, 2, 1, true), 1e-5f);
        // F.avg_pool2d(arange(1,36).reshape(1,1,5,7), (2,3), (2,2), (1,1), ceil_mode=True, count_include_pad=True)
        assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 2.1666667f, 8.0f, 13.5f, 15.5f, 11.333333f, 17.333334f, 27.5f,
                29.5f, 20.666666f}, pool("AveragePool", 5, 7, 2, 3, 2, 1, true), 1e-5f);
    }

    @Test
    void averagePoolCeilModeWithoutPadCountAndMaxPoolMatchPyTorch() throws Exception {
        assertArrayEquals(new float[] {1.5f, 3.0f, 5.0f, 6.5f, 12.0f, 13.5f, 15.5f, 17.0f, 26.0f, 27.5f, 29.5f, 31.0f},
                pool("AveragePool", 5, 7, 2, 3, 2, 1, false), 1e-5f);
        assertArrayEquals(new float[] {2f, 4f, 6f, 7f, 16f, 18f, 20f, 21f, 30f, 32f, 34f, 35f},
                pool("MaxPool", 5, 7, 2, 3, 2, 1, false), 0f);
    }
}
