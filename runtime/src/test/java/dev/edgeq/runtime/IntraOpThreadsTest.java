package dev.edgeq.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.format.ConvOptions;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Padding;
import dev.edgeq.format.Quantization;
import dev.edgeq.runtime.testing.Allocations;
import dev.edgeq.runtime.testing.ModelBuilder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Interpreter.Options.threads: same bits as one thread, no allocation, workers that end with close(). */
class IntraOpThreadsTest {
    private static final Path MODELS = Path.of("..", "models");

    @Test
    void bundledModelsGiveTheSameBitsOnOneToFourThreads() throws Exception {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(MODELS, "*.eqm")) {
            dir.forEach(files::add);
        }
        assertTrue(files.size() >= 4, "bundled models in " + MODELS.toAbsolutePath() + ": " + files);
        for (Path file : files) {
            assertSameBits(Model.load(file), 5, file.getFileName().toString());
        }
    }

    @Test
    void randomConvolutionsGiveTheSameBitsOnOneToFourThreads() throws Exception {
        Random r = new Random(12);
        for (int i = 0; i < 40; i++) {
            boolean int8 = i % 2 == 0;
            ModelFile file = randomModel(r, int8);
            assertSameBits(Model.fromProto(file), 2, "random model " + i + (int8 ? " int8" : " float"));
        }
    }

    @Test
    void runsAllocateNothingOnAnyThread() throws Exception {
        Model model = Model.load(MODELS.resolve("fashion-mobilenet-tiny.eqm"));
        try (Interpreter it = Interpreter.create(model, Interpreter.Options.builder().threads(3).build())) {
            byte[] pixels = new byte[model.input().elementCount()];
            new Random(3).nextBytes(pixels);
            for (int i = 0; i < 3000; i++) { // warm up: JIT compilation allocates, runs must not
                it.setInputPixels(pixels, 0);
                it.run();
            }
            List<Thread> threads = new ArrayList<>(workers());
            assertEquals(2, threads.size(), "worker threads: " + threads);
            threads.add(Thread.currentThread());
            Allocations.assertAllocatesNothing(5, () -> {
                for (int i = 0; i < 300; i++) {
                    it.setInputPixels(pixels, 0);
                    it.run();
                }
            }, threads, "bytes allocated by the caller and the workers over 300 runs (best of 5 rounds)");
        }
    }

    @Test
    void workersAreNamedDaemonsThatCloseStops() throws Exception {
        Model model = Model.fromProto(ModelBuilder.smallFloatCnn(4));
        List<Thread> before = workers();
        Interpreter it = Interpreter.create(model, Interpreter.Options.builder().threads(4).build());
        List<Thread> started = workers();
        started.removeAll(before);
        assertEquals(3, started.size(), "workers: " + started);
        for (Thread t : started) {
            assertTrue(t.isDaemon(), t + " is a daemon");
        }
        assertEquals(4, it.threads());
        it.run();
        it.close();
        for (Thread t : started) {
            t.join(2000);
            assertFalse(t.isAlive(), t + " ended with close()");
        }
        assertThrows(IllegalStateException.class, it::run);
        try (Interpreter one = Interpreter.create(model)) {
            assertEquals(1, one.threads());
            assertEquals(before.size(), workers().size(), "one thread starts no worker");
        }
    }

    @Test
    void threadsOutsideOneTo256AreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Interpreter.Options.builder().threads(0));
        assertTrue(e.getMessage().contains("threads must be in [1, 256], got 0"), e.getMessage());
    }

    private static List<Thread> workers() {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("edgeq-interpreter-") && t.isAlive()) {
                out.add(t);
            }
        }
        return out;
    }

    /** Runs {@code inputs} random inputs through 1..4 threads and compares every output bit. */
    private static void assertSameBits(Model model, int inputs, String what) throws Exception {
        Random r = new Random(what.hashCode());
        byte[] pixels = new byte[model.input().elementCount()];
        try (Interpreter one = Interpreter.create(model)) {
            float[] expected = new float[one.outputSize()];
            float[] actual = new float[one.outputSize()];
            for (int threads = 2; threads <= 4; threads++) {
                try (Interpreter many = Interpreter.create(model, Interpreter.Options.builder().threads(threads).build())) {
                    for (int i = 0; i < inputs; i++) {
                        r.nextBytes(pixels);
                        one.setInputPixels(pixels, 0);
                        one.run();
                        one.outputFloat(expected);
                        many.setInputPixels(pixels, 0);
                        many.run();
                        many.outputFloat(actual);
                        assertArrayEquals(expected, actual, 0f, what + " on " + threads + " threads, input " + i);
                    }
                }
            }
        }
    }

    /**
     * conv (random kernel, stride, dilation, padding, groups) -> depthwise (random multiplier) ->
     * fully connected, large enough that every layer is split; float or int8 with per-channel weights.
     */
    private static ModelFile randomModel(Random r, boolean int8) {
        int h = 6 + r.nextInt(20);
        int w = 6 + r.nextInt(20);
        int c = 1 + r.nextInt(6);
        ModelBuilder b = new ModelBuilder().name("random").labels(labels(10)).inputSpec(h, w, c, 0.5f, 0.25f);
        int x = activation(b, int8, "x", 0.02f, 3, 1, h, w, c);
        int groups = c % 2 == 0 && r.nextBoolean() ? 2 : 1;
        int oc = groups * (4 + r.nextInt(40));
        int k = 1 + r.nextInt(4);
        int stride = 1 + r.nextInt(2);
        int dilation = k > 1 && r.nextInt(4) == 0 ? 2 : 1;
        int pad = r.nextInt(k * dilation);
        int oh = (h + 2 * pad - ((k - 1) * dilation + 1)) / stride + 1;
        int ow = (w + 2 * pad - ((k - 1) * dilation + 1)) / stride + 1;
        int cw = constant(b, r, int8, "cw", oc, new int[] {oc, k, k, c / groups}, 0);
        int cb = bias(b, r, int8, "cb", oc);
        int y1 = activation(b, int8, "y1", 0.05f, -10, 1, oh, ow, oc);
        b.op(ModelBuilder.op("conv", OpType.CONV_2D, y1, x, cw, cb).setConv(options(stride, pad, dilation).setGroups(groups)).build());
        int m = 1 + r.nextInt(2);
        int dk = 1 + 2 * r.nextInt(2);
        int dpad = dk / 2;
        int y2 = activation(b, int8, "y2", 0.08f, 5, 1, oh, ow, oc * m);
        int dw = constant(b, r, int8, "dw", oc * m, new int[] {1, dk, dk, oc * m}, 3);
        int db = bias(b, r, int8, "db", oc * m);
        b.op(ModelBuilder.op("dw", OpType.DEPTHWISE_CONV_2D, y2, y1, dw, db)
                .setConv(options(1, dpad, 1).setDepthMultiplier(m)).build());
        int flat = oh * ow * oc * m;
        int flatT = activation(b, int8, "flat", 0.08f, 5, 1, flat);
        b.op(ModelBuilder.op("flatten", OpType.RESHAPE, flatT, y2).build());
        int outputs = 10 + r.nextInt(60);
        int fw = constant(b, r, int8, "fw", outputs, new int[] {outputs, flat}, 0);
        int fb = bias(b, r, int8, "fb", outputs);
        int logits = activation(b, int8, "logits", 0.2f, 0, 1, outputs);
        b.op(ModelBuilder.op("dense", OpType.FULLY_CONNECTED, logits, flatT, fw, fb).setFullyConnected(ModelBuilder.fc()).build());
        return b.io(x, logits).build();
    }

    private static String[] labels(int n) {
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            s[i] = "c" + i;
        }
        return s;
    }

    private static ConvOptions.Builder options(int stride, int pad, int dilation) {
        return ModelBuilder.conv(stride, pad).setDilationH(dilation).setDilationW(dilation)
                .setPadding(Padding.newBuilder().setTop(pad).setLeft(pad).setBottom(pad).setRight(pad));
    }

    private static int activation(ModelBuilder b, boolean int8, String name, float scale, int zeroPoint, int... shape) {
        return int8 ? b.int8Activation(name, scale, zeroPoint, shape) : b.floatActivation(name, shape);
    }

    /** Random weights; int8 ones quantized per channel along {@code axis}. */
    private static int constant(ModelBuilder b, Random r, boolean int8, String name, int channels, int[] shape, int axis) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (!int8) {
            return b.floatConstant(name, ModelBuilder.randomFloats(r, n, 0.3f), shape);
        }
        byte[] q = new byte[n];
        r.nextBytes(q);
        Quantization.Builder quant = Quantization.newBuilder().setQuantizedDimension(axis);
        for (int i = 0; i < channels; i++) {
            quant.addScale(0.002f + r.nextFloat() * 0.01f).addZeroPoint(0);
        }
        return b.int8Constant(name, q, quant.build(), shape);
    }

    private static int bias(ModelBuilder b, Random r, boolean int8, String name, int n) {
        if (!int8) {
            return b.floatConstant(name, ModelBuilder.randomFloats(r, n, 0.1f), n);
        }
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(2001) - 1000;
        }
        return b.int32Constant(name, v, n);
    }
}
