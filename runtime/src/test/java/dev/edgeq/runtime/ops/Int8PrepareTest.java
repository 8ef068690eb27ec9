package dev.edgeq.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.format.Activation;
import dev.edgeq.format.FusedActivation;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Quantization;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.testing.ModelBuilder;
import org.junit.jupiter.api.Test;

/** The int8 prepare steps, checked on hand-computed values through the Interpreter. */
class Int8PrepareTest {
    /**
     * 3x3x1 input (scale 0.5, zero point -1), two 2x2 filters with per-channel scales 0.25 and 0.5,
     * int32 bias, output scale 0.25 zero point 3, optional fused ReLU.
     */
    private static ModelFile conv(Activation activation) {
        ModelBuilder b = new ModelBuilder();
        int x = b.int8Activation("x", 0.5f, -1, 1, 3, 3, 1);
        Quantization wq = Quantization.newBuilder().addScale(0.25f).addScale(0.5f).addZeroPoint(0).addZeroPoint(0).build();
        int w = b.int8Constant("w", new byte[] {1, 2, 3, 4, -4, 3, -2, 1}, wq, 2, 2, 2, 1);
        // bias scales: 0.5 * 0.25 = 0.125 and 0.5 * 0.5 = 0.25; real biases 0.5 and -1.0
        int bias = b.int32Constant("b", new int[] {4, -4}, 2);
        int y = b.int8Activation("y", 0.25f, 3, 1, 2, 2, 2);
        b.op(ModelBuilder.op("c", OpType.CONV_2D, y, x, w, bias).setConv(ModelBuilder.conv(1, 0)
                .setActivation(FusedActivation.newBuilder().setType(activation))).build());
        return b.io(x, y).build();
    }

    private static float[] run(ModelFile file, byte[] input) throws ModelFormatException {
        try (Interpreter it = Interpreter.create(Model.fromProto(file))) {
            it.setInputInt8(input, 0);
            it.run();
            float[] out = new float[it.outputSize()];
            it.outputFloat(out);
            return out;
        }
    }

    @Test
    void convRequantizesPerChannelWithOffsetsBiasAndClamp() throws Exception {
        byte[] q = {-1, 1, 3, 5, 7, 9, 11, 13, 15}; // real 0, 1, 2, ..., 8 (scale 0.5, zero point -1)
        float[] out = run(conv(Activation.ACTIVATION_NONE), q);
        // channel 0: weights 0.25, 0.5, 0.75, 1.0 over windows [0 1; 3 4] ... plus 0.5
        // channel 1: weights -2, 1.5, -1, 0.5 plus -1.0
        float[] expected = new float[8];
        float[][] windows = {{0, 1, 3, 4}, {1, 2, 4, 5}, {3, 4, 6, 7}, {4, 5, 7, 8}};
        float[][] weights = {{0.25f, 0.5f, 0.75f, 1f}, {-2f, 1.5f, -1f, 0.5f}};
        float[] biases = {0.5f, -1f};
        for (int p = 0; p < 4; p++) {
            for (int c = 0; c < 2; c++) {
                float s = biases[c];
                for (int k = 0; k < 4; k++) {
                    s += weights[c][k] * windows[p][k];
                }
                // output range: 0.25 * (q - 3) for q in [-128, 127] = [-32.75, 31]
                expected[p * 2 + c] = Math.max(-32.75f, Math.min(31f, s));
            }
        }
        // the values are multiples of 0.25, so requantization is exact here
        assertArrayEquals(expected, out, 0f);
        float[] relu = run(conv(Activation.ACTIVATION_RELU), q);
        for (int i = 0; i < 8; i++) {
            assertEquals(Math.max(0f, expected[i]), relu[i], 0f, "relu clamps at the zero point, element " + i);
        }
    }

    @Test
    void poolThatWouldRequantizeIsRejectedAtCreation() throws Exception {
        ModelBuilder b = new ModelBuilder();
        int x = b.int8Activation("x", 0.5f, 0, 1, 4, 4, 1);
        int y = b.int8Activation("y", 0.25f, 0, 1, 2, 2, 1);
        b.op(ModelBuilder.op("pool", OpType.MAX_POOL_2D, y, x).setPool(ModelBuilder.pool(2, 2)).build());
        Model m = Model.fromProto(b.io(x, y).build());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Interpreter.create(m));
        assertTrue(e.getMessage().contains("'pool'") && e.getMessage().contains("does not requantize"), e.getMessage());
    }

    @Test
    void unknownKernelFamilyIsAClearError() throws Exception {
        Model m = Model.fromProto(conv(Activation.ACTIVATION_NONE));
        String old = System.getProperty(OpContext.KERNELS_PROPERTY);
        System.setProperty(OpContext.KERNELS_PROPERTY, "fastest");
        try {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> Interpreter.create(m));
            assertTrue(e.getMessage().contains("edgeq.int8.kernels=fastest") && e.getMessage().contains("reference"),
                    e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(OpContext.KERNELS_PROPERTY);
            } else {
                System.setProperty(OpContext.KERNELS_PROPERTY, old);
            }
        }
        byte[] input = {-1, 1, 3, 5, 7, 9, 11, 13, 15};
        float[] auto = run(conv(Activation.ACTIVATION_RELU6), input);
        for (String family : new String[] {"reference", "scalar"}) {
            System.setProperty(OpContext.KERNELS_PROPERTY, family);
            try {
                assertArrayEquals(auto, run(conv(Activation.ACTIVATION_RELU6), input), 0f, family);
            } finally {
                System.clearProperty(OpContext.KERNELS_PROPERTY);
            }
        }
    }
}
