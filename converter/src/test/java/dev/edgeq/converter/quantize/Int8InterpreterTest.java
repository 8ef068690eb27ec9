package dev.edgeq.converter.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.converter.dataset.LabeledImages;
import dev.edgeq.format.ModelFile;
import dev.edgeq.runtime.Classifier;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.kernels.int8.VectorSupport;
import dev.edgeq.runtime.memory.MemoryPlan;
import dev.edgeq.runtime.testing.ModelBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The quantized models through the whole Interpreter: kernels, arena, allocation. */
class Int8InterpreterTest {
    private static final QuantizeOptions OPTIONS = QuantizeOptions.defaults().withMethod(CalibrationMethod.MINMAX);

    static List<ModelFile> quantizedModels() throws Exception {
        List<ModelFile> models = new ArrayList<>();
        models.add(Quantizer.quantize(QuantTestModels.kitchenSink(7), QuantTestModels.images(40, 16, 16, 1, 1), OPTIONS).model());
        models.add(Quantizer.quantize(QuantTestModels.floatIslands(3), QuantTestModels.images(40, 10, 10, 3, 1), OPTIONS).model());
        models.add(Quantizer.quantize(ModelBuilder.smallFloatCnn(5), QuantTestModels.images(40, 12, 12, 1, 1), OPTIONS).model());
        return models;
    }

    @Test
    void referenceAndFastKernelsAreBitExactThroughTheInterpreter() throws Exception {
        List<String> families = new ArrayList<>(List.of("scalar", "auto"));
        if (VectorSupport.available()) {
            families.add("vector");
        }
        for (ModelFile file : quantizedModels()) {
            Model m = Model.fromProto(file);
            TensorInfo in = m.input();
            LabeledImages images = QuantTestModels.images(60, in.dim(1), in.dim(2), in.dim(3), 42);
            byte[][][] reference = runAll(m, "reference", images);
            for (String family : families) {
                byte[][][] fast = runAll(m, family, images);
                for (int i = 0; i < images.size(); i++) {
                    for (int t = 0; t < reference[i].length; t++) {
                        assertArrayEquals(reference[i][t], fast[i][t], m.name() + ": " + family + " vs reference, image "
                                + i + ", tensor " + m.tensor(t).describe());
                    }
                }
            }
        }
    }

    /** An Interpreter with the int8 kernel family {@code family}. */
    private static Interpreter createWithKernels(Model m, String family) throws Exception {
        return Interpreter.create(m, Interpreter.Options.builder().kernels(kernels(family)).build());
    }

    private static Int8Kernels.Implementation kernels(String family) {
        return Int8Kernels.Implementation.valueOf(family.toUpperCase(java.util.Locale.ROOT));
    }

    /** Every tensor of every image, as the bits of its float view (int8 tensors dequantize exactly). */
    private static byte[][][] runAll(Model m, String family, LabeledImages images) throws Exception {
        try (Interpreter it = Interpreter.create(m, Interpreter.Options.builder().preserveAllTensors(true)
                .kernels(kernels(family)).build())) {
            byte[][][] out = new byte[images.size()][m.tensors().size()][];
            byte[] px = new byte[images.height() * images.width() * images.channels()];
            for (int i = 0; i < images.size(); i++) {
                images.pixels(i, px, 0);
                it.setInputPixels(px, 0);
                it.run();
                for (TensorInfo t : m.tensors()) {
                    if (t.isConstant()) {
                        continue;
                    }
                    float[] v = new float[t.elementCount()];
                    it.readTensor(t.index(), v);
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * v.length);
                    b.asFloatBuffer().put(v);
                    out[i][t.index()] = b.array();
                }
            }
            return out;
        }
    }

    /**
     * Each kernel family on its own: {@code auto} picks the vector kernels where the JVM has them, so
     * without the {@code scalar} run the scalar kernels' allocation would go unmeasured.
     */
    @ParameterizedTest(name = "{0} kernels")
    @ValueSource(strings = {"scalar", "vector", "auto"})
    void int8RunAllocatesNothingOver1000Runs(String family) throws Exception {
        assumeTrue(!family.equals("vector") || VectorSupport.available(), "module jdk.incubator.vector absent");
        for (ModelFile file : quantizedModels()) {
            Model m = Model.fromProto(file);
            try (Interpreter it = createWithKernels(m, family)) {
                Classifier classifier = new Classifier(it, 3);
                byte[] pixels = new byte[m.input().elementCount()];
                new java.util.Random(1).nextBytes(pixels);
                float[] out = new float[it.outputSize()];
                for (int i = 0; i < 20000; i++) { // warm up: JIT compilation allocates, runs must not
                    classifier.classify(pixels, 0);
                    it.outputFloat(out);
                }
                // Vector API code allocates (boxing) until C2 has compiled it: best of five rounds.
                dev.edgeq.runtime.testing.Allocations.assertAllocatesNothing(5, () -> {
                    for (int i = 0; i < 1000; i++) {
                        it.setInputPixels(pixels, 0);
                        it.run();
                        it.outputFloat(out);
                        classifier.classify(pixels, 0);
                    }
                }, m.name() + ", " + family + " kernels: bytes allocated over 1000 int8 runs (best of 5 rounds)");
            }
        }
    }

    @Test
    void arenaHasNoOverlapsAndStaysWithinTenPercentOfTheLowerBound() throws Exception {
        for (ModelFile file : quantizedModels()) {
            Model m = Model.fromProto(file);
            try (Interpreter it = Interpreter.create(m)) {
                for (MemoryPlan plan : List.of(it.int8Plan(), it.floatPlan())) {
                    plan.checkNoOverlap();
                    assertEquals(MemoryPlan.lowerBound(plan.requests()), plan.lowerBound());
                    assertTrue(plan.arenaSize() <= 1.1 * plan.lowerBound(),
                            m.name() + ": arena " + plan.arenaSize() + " > 1.1 x lower bound " + plan.lowerBound());
                }
                System.out.printf("%s: int8 arena %d bytes (lower bound %d), float arena %d floats (lower bound %d)%n",
                        m.name(), it.int8Plan().arenaSize(), it.int8Plan().lowerBound(), it.floatPlan().arenaSize(),
                        it.floatPlan().lowerBound());
            }
        }
    }
}
