package dev.edgeq.converter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.edgeq.converter.onnx.OnnxConstant;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.testing.EdgeqRunner;
import dev.edgeq.format.ModelFile;
import dev.edgeq.onnx.GraphProto;
import dev.edgeq.onnx.ModelProto;
import dev.edgeq.onnx.NodeProto;
import dev.edgeq.onnx.TensorProto;
import dev.edgeq.onnx.ValueInfoProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * ONNX's own backend test data (Debian package libonnx-testdata): every case whose graph uses
 * only supported op types ({@link OnnxImporter#SUPPORTED_OPS}; the shape ops edgeq only folds
 * on constants are not among them) is either run (import, convert, run in the edgeq float runtime,
 * compare with the recorded outputs within 1e-4 relative) or listed by name with a reason in
 * onnx-backend-not-applicable.txt. Nothing is skipped silently: an unlisted case runs and must
 * pass, and a listed case that no longer exists fails the list check.
 *
 * <p>edgeq runs batch 1, so a recorded batch of N runs as N single samples. Graph inputs after the first (Conv weights, BatchNorm statistics, Reshape shapes, Clip
 * bounds, Pad pads in node tests) are bound as initializers from the recorded input data: edgeq
 * takes those as constants.
 */
class OnnxBackendDataTest {
    static final Path ROOT = Path.of("/usr/include/onnx/backend/test/data");
    static final List<String> SUITES = List.of("node", "pytorch-converted", "pytorch-operator", "simple");
    static final double TOLERANCE = 1e-4;

    static final AtomicInteger PASSED = new AtomicInteger();
    static final AtomicInteger FAILED = new AtomicInteger();
    static int notApplicable;
    static int otherOps;

    @TestFactory
    Stream<DynamicTest> backendCases() throws IOException {
        if (!Files.isDirectory(ROOT.resolve("node"))) {
            fail("ONNX backend test data not found at " + ROOT + ": apt-get install libonnx-testdata");
        }
        Map<String, String> listed = readNotApplicable();
        List<DynamicTest> tests = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String suite : SUITES) {
            List<Path> cases;
            try (Stream<Path> s = Files.list(ROOT.resolve(suite))) {
                cases = s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
            }
            for (Path dir : cases) {
                String name = suite + "/" + dir.getFileName();
                seen.add(name);
                ModelProto model = ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx")));
                if (!onlySupportedOps(model.getGraph())) {
                    otherOps++;
                    continue;
                }
                if (listed.containsKey(name)) {
                    notApplicable++;
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(name, () -> runCase(dir, model)));
            }
        }
        tests.add(DynamicTest.dynamicTest("not-applicable list names existing cases", () -> {
            List<String> stale = listed.keySet().stream().filter(n -> !seen.contains(n)).toList();
            assertTrue(stale.isEmpty(), "listed but not in the test data: " + stale);
        }));
        return tests.stream();
    }

    @AfterAll
    static void printCounts() {
        System.out.printf("ONNX backend test data: %d passed, %d failed, %d not applicable (listed), "
                + "%d cases use other op types%n", PASSED.get(), FAILED.get(), notApplicable, otherOps);
    }

    private static boolean onlySupportedOps(GraphProto g) {
        for (NodeProto n : g.getNodeList()) {
            if (!OnnxImporter.SUPPORTED_OPS.contains(n.getOpType())) {
                return false;
            }
        }
        return true;
    }

    private static void runCase(Path dir, ModelProto model) throws Exception {
        boolean ok = false;
        try {
            List<Path> sets;
            try (Stream<Path> s = Files.list(dir)) {
                sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
            }
            assertTrue(!sets.isEmpty(), "no test_data_set_* in " + dir);
            for (Path set : sets) {
                runDataSet(model, set);
            }
            ok = true;
        } finally {
            (ok ? PASSED : FAILED).incrementAndGet();
        }
    }

    private static void runDataSet(ModelProto model, Path set) throws Exception {
        GraphProto g = model.getGraph();
        Set<String> initNames = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            initNames.add(t.getName());
        }
        List<ValueInfoProto> inputs = g.getInputList().stream().filter(v -> !initNames.contains(v.getName())).toList();
        OnnxConstant in = OnnxConstant.decode(readTensor(set.resolve("input_0.pb")), "input_0.pb");
        OnnxConstant expected = OnnxConstant.decode(readTensor(set.resolve("output_0.pb")), "output_0.pb");
        int[] dims = in.dims();
        int batch = dims.length > 0 ? dims[0] : 1;
        GraphProto.Builder bound = g.toBuilder().clearInput();
        // edgeq runs batch 1: a batch of N runs as N single samples (the first dimension set to 1)
        ValueInfoProto first = inputs.get(0);
        if (batch > 1 && first.getType().getTensorType().getShape().getDimCount() > 0) {
            ValueInfoProto.Builder v = first.toBuilder();
            v.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(0).clearValue().setDimValue(1);
            first = v.build();
        }
        bound.addInput(first);
        for (ValueInfoProto v : g.getInputList()) {
            if (initNames.contains(v.getName())) {
                bound.addInput(v);
            }
        }
        for (int i = 1; i < inputs.size(); i++) {
            TensorProto t = readTensor(set.resolve("input_" + i + ".pb"));
            bound.addInitializer(t.toBuilder().setName(inputs.get(i).getName()));
        }
        ModelProto m = model.toBuilder().setGraph(bound).build();
        ModelFile f = OnnxConverter.convertFloat(m, set.getParent().getFileName().toString(), ConvertOptions.defaults());
        float[] all = in.toFloats();
        int per = all.length / Math.max(1, batch);
        int[] sampleDims = dims.clone();
        if (sampleDims.length > 0) {
            sampleDims[0] = 1;
        }
        float[] want = expected.toFloats();
        float[] got = new float[want.length];
        int outPer = want.length / Math.max(1, batch);
        for (int b = 0; b < batch; b++) {
            float[] sample = java.util.Arrays.copyOfRange(all, b * per, (b + 1) * per);
            float[] out = EdgeqRunner.run(f, sample, sampleDims);
            assertEquals(outPer, out.length, "output size per sample");
            System.arraycopy(out, 0, got, b * outPer, outPer);
        }
        double d = EdgeqRunner.maxScaledDiff(got, want);
        assertTrue(d <= TOLERANCE, set + ": max scaled difference " + d);
    }

    private static TensorProto readTensor(Path p) throws IOException {
        return TensorProto.parseFrom(Files.readAllBytes(p));
    }

    /** "suite/case  reason" lines; # comments and blank lines ignored. */
    static Map<String, String> readNotApplicable() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        try (InputStream in = OnnxBackendDataTest.class.getResourceAsStream("/onnx-backend-not-applicable.txt")) {
            assertTrue(in != null, "onnx-backend-not-applicable.txt missing from test resources");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                int sp = l.indexOf(' ');
                assertTrue(sp > 0 && !l.substring(sp).isBlank(), "no reason given in line: " + l);
                m.put(l.substring(0, sp), l.substring(sp).strip());
            }
        }
        return m;
    }
}
