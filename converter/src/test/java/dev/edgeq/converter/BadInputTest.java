package dev.edgeq.converter;

import static dev.edgeq.converter.testing.OnnxBuilder.i;
import static dev.edgeq.converter.testing.OnnxBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.converter.testing.OnnxBuilder;
import dev.edgeq.converter.testing.RandomCnn;
import dev.edgeq.onnx.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrupt, unsupported and inconsistent models: one clear ConversionException, nothing written. */
class BadInputTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private ConversionException failsWithoutOutput(Path onnx) {
        Path out = dir.resolve("out.eqm");
        ConversionException e = assertThrows(ConversionException.class,
                () -> OnnxConverter.convertFloatToFile(onnx, out, ConvertOptions.defaults()));
        assertFalse(Files.exists(out), "no output file after a failed conversion");
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left");
        } catch (java.io.IOException io) {
            throw new AssertionError(io);
        }
        return e;
    }

    private static ModelProto goodModel() {
        return RandomCnn.of(5).model;
    }

    @Test
    void truncatedFilesNameTheFile() throws Exception {
        byte[] bytes = goodModel().toByteArray();
        for (int len : new int[] {0, 1, 7, bytes.length / 3, bytes.length / 2, bytes.length - 1}) {
            Path p = write("truncated.onnx", Arrays.copyOf(bytes, len));
            ConversionException e = failsWithoutOutput(p);
            assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        }
    }

    @Test
    void bitFlipsGiveAClearErrorOrAValidModel() throws Exception {
        byte[] good = goodModel().toByteArray();
        Random rng = new Random(11);
        int rejected = 0;
        for (int k = 0; k < 200; k++) {
            byte[] bytes = good.clone();
            int pos = rng.nextInt(bytes.length);
            bytes[pos] ^= (byte) (1 << rng.nextInt(8));
            Path p = write("flipped.onnx", bytes);
            try {
                OnnxConverter.convertFloat(p, ConvertOptions.defaults());
            } catch (ConversionException e) {
                rejected++;
                assertTrue(e.getMessage().contains("flipped.onnx"), "message names the file: " + e.getMessage());
            }
            // anything other than ConversionException propagates and fails the test
        }
        assertTrue(rejected > 0, "some flips must be detected");
    }

    @Test
    void notAnOnnxFile() throws Exception {
        Path p = write("text.onnx", "hello, this is not a model\n".getBytes());
        ConversionException e = failsWithoutOutput(p);
        assertTrue(e.getMessage().contains("text.onnx"), e.getMessage());
    }

    @Test
    void everyUnsupportedNodeIsListedOnce() throws Exception {
        OnnxBuilder b = new OnnxBuilder();
        String x = b.input("x", 1, 4, 8, 8);
        String y = b.node("ReduceMean", new String[] {x}, ints("axes", 1)); // grouped Conv and Tanh import since format 1.1
        String t = b.node("Elu", x);
        String p = b.node("MaxPool", new String[] {t}, ints("kernel_shape", 2, 2), ints("dilations", 2, 2));
        String r = b.node("Relu", p); // downstream of unsupported nodes: not reported itself
        b.output(y).output(r);
        Path file = write("bad.onnx", b.build().toByteArray());
        String m = failsWithoutOutput(file).getMessage();
        assertTrue(m.contains("3 unsupported nodes"), m);
        assertTrue(m.contains("ReduceMean 'ReduceMean_1' axes=[1] (only the spatial axes 2, 3)"), m);
        assertTrue(m.contains("Elu 'Elu_3'"), m);
        assertTrue(m.contains("MaxPool 'MaxPool_5' dilations=[2, 2]"), m); // reported though its input is unknown
        assertFalse(m.contains("Relu '"), m);
        assertTrue(m.contains("edgeq supports: Conv, MaxPool"), m);
        assertTrue(m.contains(file.toString()), m);
    }

    @Test
    void anOutputThatIsTheInputIsRefused() throws Exception {
        // Found by OnnxImportFuzzTest: the converter wrote a model whose graph output no operator writes.
        OnnxBuilder b = new OnnxBuilder();
        String x = b.input("x", 1, 9, 8, 8);
        b.node("MaxPool", new String[] {x}, ints("kernel_shape", 2, 2)); // dead: nothing reads it
        b.output(x);
        String m = failsWithoutOutput(write("passthrough.onnx", b.build().toByteArray())).getMessage();
        assertTrue(m.contains("graph output 'x' is the graph input 'x' itself"), m);

    }

    @Test
    void shapeOpsOnRunTimeDataAreUnsupported() throws Exception {
        OnnxBuilder b = new OnnxBuilder();
        String x = b.input("x", 1, 3, 4, 4);
        String g = b.node("Gather", new String[] {x, b.initLongs("idx", new long[] {0}, 1)}, i("axis", 1));
        b.output(g);
        String m = failsWithoutOutput(write("gather.onnx", b.build().toByteArray())).getMessage();
        assertTrue(m.contains("Gather 'Gather_1' works on run-time data 'x'"), m);
        assertTrue(m.contains("on shapes/constants only: Shape, Gather"), m);
    }

    @Test
    void inconsistentShapesNameTheNode() throws Exception {
        OnnxBuilder b = new OnnxBuilder();
        Random rng = new Random(2);
        String x = b.input("x", 1, 3, 8, 8);
        b.output(b.node("Conv", new String[] {x, b.random("w", rng, 0.1f, 8, 4, 3, 3)}, ints("kernel_shape", 3, 3)));
        String m = failsWithoutOutput(write("shapes.onnx", b.build().toByteArray())).getMessage();
        assertTrue(m.contains("inconsistent shapes at Conv 'Conv_1'") && m.contains("3 channels"), m);

        OnnxBuilder g = new OnnxBuilder();
        String v = g.input("v", 1, 10);
        g.output(g.node("Gemm", new String[] {v, g.random("w", rng, 0.1f, 5, 12)}, i("transB", 1)));
        m = failsWithoutOutput(write("gemm.onnx", g.build().toByteArray())).getMessage();
        assertTrue(m.contains("Gemm 'Gemm_1'") && m.contains("10 features"), m);

        OnnxBuilder big = new OnnxBuilder();
        String z = big.input("z", 1, 1, 4, 4);
        big.output(big.node("Conv", new String[] {z, big.random("w", rng, 0.1f, 1, 1, 7, 7)}, ints("kernel_shape", 7, 7)));
        m = failsWithoutOutput(write("kernel.onnx", big.build().toByteArray())).getMessage();
        assertTrue(m.contains("does not fit"), m);
    }

    @Test
    void missingInputsAndSizes() throws Exception {
        OnnxBuilder b = new OnnxBuilder();
        String x = b.input("x", 1, 3, 8, 8);
        b.output(b.node("Add", new String[] {x, "nowhere"}));
        String m = failsWithoutOutput(write("missing.onnx", b.build().toByteArray())).getMessage();
        assertTrue(m.contains("reads 'nowhere'"), m);

        ModelProto symbolic = goodModel();
        var in = symbolic.getGraph().getInput(0).toBuilder();
        in.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(2).clearValue().setDimParam("height");
        ModelProto sym = symbolic.toBuilder().setGraph(symbolic.getGraph().toBuilder().setInput(0, in)).build();
        m = failsWithoutOutput(write("sym.onnx", sym.toByteArray())).getMessage();
        assertTrue(m.contains("symbolic 'height'"), m);
    }

    @Test
    void initializerDataMustMatchItsDims() throws Exception {
        OnnxBuilder b = new OnnxBuilder();
        String x = b.input("x", 1, 2, 4, 4);
        b.init("w", new float[5], 3, 2, 1, 1); // 5 values for 6
        b.output(b.node("Conv", new String[] {x, "w"}));
        String m = failsWithoutOutput(write("short.onnx", b.build().toByteArray())).getMessage();
        assertTrue(m.contains("initializer 'w'") && m.contains("20 bytes") && m.contains("24"), m);
    }
}
