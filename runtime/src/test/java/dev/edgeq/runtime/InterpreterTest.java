package dev.edgeq.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.runtime.testing.Allocations;
import dev.edgeq.runtime.testing.ModelBuilder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InterpreterTest {
    @Test
    void runAllocatesNothingOver1000Runs() throws Exception {
        Model model = Model.fromProto(ModelBuilder.smallFloatCnn(3));
        try (Interpreter it = Interpreter.create(model)) {
            Classifier classifier = new Classifier(it, 3);
            byte[] pixels = new byte[12 * 12];
            new Random(1).nextBytes(pixels);
            float[] out = new float[3];
            for (int i = 0; i < 20000; i++) { // warm up: JIT compilation allocates, runs must not
                classifier.classify(pixels, 0);
                it.outputFloat(out);
            }
            Allocations.assertAllocatesNothing(5, () -> {
                for (int i = 0; i < 1000; i++) {
                    it.setInputPixels(pixels, 0);
                    it.run();
                    it.outputFloat(out);
                    classifier.classify(pixels, 0);
                }
            }, "bytes allocated over 1000 runs (best of 5 rounds)");
        }
    }

    @Test
    void prepareAgainRunsTheReplacementsConstantsForThatOperator() throws Exception {
        ModelFile file = ModelBuilder.smallFloatCnn(3);
        int bias = file.getOperators(0).getInputs(2);
        java.nio.ByteBuffer raised = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : new float[] {0.7f, -0.4f, 1.1f, 0.2f}) {
            raised.putFloat(v);
        }
        ModelFile other = file.toBuilder().setTensors(bias, file.getTensors(bias).toBuilder()
                .setData(com.google.protobuf.ByteString.copyFrom(raised.array()))).build();
        Model before = Model.fromProto(file);
        Model after = Model.fromProto(other);
        byte[] pixels = new byte[144];
        new Random(4).nextBytes(pixels);
        try (Interpreter stepped = Interpreter.create(before); Interpreter fresh = Interpreter.create(after);
                Interpreter old = Interpreter.create(before)) {
            stepped.prepareAgain(0, after);
            float[][] out = new float[3][3];
            Interpreter[] all = {stepped, fresh, old};
            for (int i = 0; i < 3; i++) {
                all[i].setInputPixels(pixels, 0);
                all[i].run();
                all[i].outputFloat(out[i]);
            }
            assertArrayEquals(out[1], out[0], "re-prepared conv against an interpreter of the replacement");
            assertTrue(!java.util.Arrays.equals(out[2], out[0]), "the replacement's bias changes the output");
        }
    }

    @Test
    void prepareAgainRefusesAnotherGraph() throws Exception {
        ModelBuilder b = new ModelBuilder();
        int x = b.floatActivation("x", 1, 3, 3, 1);
        int w = b.floatConstant("w", new float[] {1, 2, 3, 4}, 1, 2, 2, 1);
        int y = b.floatActivation("y", 1, 2, 2, 1);
        b.op(ModelBuilder.op("c", OpType.CONV_2D, y, x, w, -1).setConv(ModelBuilder.conv(1, 0)).build());
        Model other = Model.fromProto(b.io(x, y).build());
        try (Interpreter it = Interpreter.create(Model.fromProto(ModelBuilder.smallFloatCnn(3)))) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> it.prepareAgain(0, other));
            assertTrue(e.getMessage().contains("not the same operator"), e.getMessage());
        }
    }

    @Test
    void pixelInputAppliesTheModelsNormalization() throws Exception {
        Model model = Model.fromProto(ModelBuilder.smallFloatCnn(3)); // mean 0.5, std 0.25
        try (Interpreter a = Interpreter.create(model); Interpreter b = Interpreter.create(model)) {
            byte[] pixels = new byte[144];
            float[] floats = new float[144];
            Random r = new Random(2);
            for (int i = 0; i < pixels.length; i++) {
                int p = r.nextInt(256);
                pixels[i] = (byte) p;
                floats[i] = (p / 255f - 0.5f) / 0.25f;
            }
            a.setInputPixels(pixels, 0);
            b.setInput(floats);
            a.run();
            b.run();
            float[] oa = new float[3];
            float[] ob = new float[3];
            a.outputFloat(oa);
            b.outputFloat(ob);
            assertArrayEquals(ob, oa, 1e-6f);
            assertEquals(1.0, oa[0] + oa[1] + oa[2], 1e-5, "softmax output sums to 1");
        }
    }

    @Test
    void convMatchesHandComputedValues() throws Exception {
        // 3x3 input, one 2x2 filter, stride 1, pad 0 -> 2x2 output
        ModelBuilder b = new ModelBuilder();
        int x = b.floatActivation("x", 1, 3, 3, 1);
        int w = b.floatConstant("w", new float[] {1, 2, 3, 4}, 1, 2, 2, 1);
        int bias = b.floatConstant("b", new float[] {0.5f}, 1);
        int y = b.floatActivation("y", 1, 2, 2, 1);
        b.op(ModelBuilder.op("c", OpType.CONV_2D, y, x, w, bias).setConv(ModelBuilder.conv(1, 0)).build());
        Model m = Model.fromProto(b.io(x, y).build());
        try (Interpreter it = Interpreter.create(m)) {
            it.setInput(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
            it.run();
            float[] out = new float[4];
            it.outputFloat(out);
            // [1 2;4 5].[1 2;3 4] = 1+4+12+20 = 37, etc.
            assertArrayEquals(new float[] {37.5f, 47.5f, 67.5f, 77.5f}, out);
        }
    }

    @Test
    void arenaReusesMemoryAndNoLiveTensorsOverlap() throws Exception {
        ModelFile file = ModelBuilder.smallFloatCnn(4);
        Model m = Model.fromProto(file);
        try (Interpreter it = Interpreter.create(m)) {
            it.floatPlan().checkNoOverlap();
            int total = 0;
            for (TensorInfo t : m.tensors()) {
                total += t.isConstant() ? 0 : t.elementCount();
            }
            assertTrue(it.floatPlan().arenaSize() < total, "arena " + it.floatPlan().arenaSize() + " vs sum " + total);
            assertTrue(it.floatPlan().arenaSize() <= 1.1 * it.floatPlan().lowerBound());
        }
        try (Interpreter it = Interpreter.create(m, Interpreter.Options.builder().preserveAllTensors(true).build())) {
            it.setInput(new float[144]);
            it.run();
            float[] c1 = new float[12 * 12 * 4];
            it.readTensor(3, c1); // conv1 output, relu: no negatives
            for (float v : c1) {
                assertTrue(v >= 0f);
            }
        }
    }
}
