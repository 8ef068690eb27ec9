package dev.edgeq.runtime.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The 60 TFLite int8 golden cases (src/test/resources/conformance/tflite-int8, see its README and
 * PROVENANCE.md) through every kernel implementation, exact match required.
 */
class GoldenCasesTest {
    private static final String ROOT = "conformance/tflite-int8";
    private static final Map<String, Integer> EXPECTED_COUNTS = Map.of(
            "conv", 26, "depthwise_conv", 14, "fully_connected", 7, "max_pool", 8, "avg_pool", 5);
    private static final Map<String, AtomicInteger> PASSED = new TreeMap<>();
    private static final Map<String, AtomicInteger> FAILED = new TreeMap<>();

    @AfterAll
    static void printCounts() {
        for (String impl : PASSED.keySet()) {
            System.out.printf("golden cases [%s]: %d passed, %d failed%n", impl, PASSED.get(impl).get(), FAILED.get(impl).get());
        }
    }

    static Path root() throws URISyntaxException {
        URL url = GoldenCasesTest.class.getClassLoader().getResource(ROOT);
        if (url == null) {
            throw new IllegalStateException("test resource " + ROOT + " missing");
        }
        return Paths.get(url.toURI());
    }

    static List<Path> cases(String kind) throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(root().resolve(kind))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void allSixtyCasesArePresent() throws Exception {
        int total = 0;
        for (Map.Entry<String, Integer> e : EXPECTED_COUNTS.entrySet()) {
            assertEquals(e.getValue(), cases(e.getKey()).size(), "golden cases of kind " + e.getKey());
            total += e.getValue();
        }
        assertEquals(60, total);
    }

    @TestFactory
    List<DynamicTest> goldenCases() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<DynamicTest> tests = new ArrayList<>();
        for (String kind : new TreeMap<>(EXPECTED_COUNTS).keySet()) {
            for (Path file : cases(kind)) {
                JsonNode json;
                try (InputStream in = Files.newInputStream(file)) {
                    json = mapper.readTree(in);
                }
                for (Int8Kernels.Implementation impl : KernelHarness.implementations()) {
                    String name = kind + "/" + file.getFileName() + " [" + impl + "]";
                    JsonNode caseJson = json;
                    tests.add(DynamicTest.dynamicTest(name, () -> runCounted(impl.name(), name, caseJson, kind, impl)));
                }
            }
        }
        return tests;
    }

    private static void runCounted(String implName, String name, JsonNode json, String kind, Int8Kernels.Implementation impl) {
        PASSED.computeIfAbsent(implName, k -> new AtomicInteger());
        FAILED.computeIfAbsent(implName, k -> new AtomicInteger());
        try {
            GoldenCase golden = GoldenCase.of(kind, json, impl);
            byte[] actual = KernelHarness.run(golden.kernel, golden.input, golden.expected.length, 42);
            int mismatch = KernelHarness.firstMismatch(golden.expected, actual);
            if (mismatch >= 0) {
                throw new AssertionError(name + ": output differs first at index " + mismatch + ": expected "
                        + golden.expected[mismatch] + ", got " + actual[mismatch] + " (" + golden.description + ")");
            }
            PASSED.get(implName).incrementAndGet();
        } catch (RuntimeException | AssertionError e) {
            FAILED.get(implName).incrementAndGet();
            throw e;
        }
    }

    /** One golden case turned into a prepared kernel, its input and expected output. */
    static final class GoldenCase {
        final Int8Kernel kernel;
        final byte[] input;
        final byte[] expected;
        final String description;

        private GoldenCase(Int8Kernel kernel, byte[] input, byte[] expected, String description) {
            this.kernel = kernel;
            this.input = input;
            this.expected = expected;
            this.description = description;
        }

        static GoldenCase of(String kind, JsonNode json, Int8Kernels.Implementation impl) {
            JsonNode c = json.get("config");
            JsonNode arrays = json.get("arrays");
            byte[] input = bytes(arrays, "input");
            byte[] expected = bytes(arrays, "output_ref");
            switch (kind) {
                case "conv":
                case "depthwise_conv": {
                    boolean depthwise = kind.equals("depthwise_conv");
                    int inH = c.get("input_h").asInt(), inW = c.get("input_w").asInt();
                    int outH = c.get("output_h").asInt(), outW = c.get("output_w").asInt();
                    int fy = c.get("filter_y").asInt(), fx = c.get("filter_x").asInt();
                    int sy = c.get("stride_y").asInt(), sx = c.get("stride_x").asInt();
                    int dy = c.get("dilation_y").asInt(), dx = c.get("dilation_x").asInt();
                    int padY = c.get("pad_y").asInt(), padX = c.get("pad_x").asInt();
                    int inC = c.get("in_ch").asInt(), outC = c.get("out_ch").asInt();
                    ConvParams p = ConvParams.builder()
                            .input(c.get("input_batches").asInt(), inH, inW, inC)
                            .output(outH, outW, outC)
                            .kernel(fy, fx).stride(sy, sx).dilation(dy, dx)
                            .padding(padY, padX, padEnd(inH, outH, fy, sy, dy, padY), padEnd(inW, outW, fx, sx, dx, padX))
                            .depthMultiplier(depthwise ? (c.has("ch_mult") ? c.get("ch_mult").asInt() : outC / inC) : 1)
                            .offsets(c.get("input_offset").asInt(), c.get("output_offset").asInt())
                            .activation(c.get("out_activation_min").asInt(), c.get("out_activation_max").asInt())
                            .perChannel(ints(arrays, "output_mult"), ints(arrays, "output_shift"))
                            .build();
                    byte[] w = bytes(arrays, "weights");
                    int[] bias = arrays.has("biases") ? ints(arrays, "biases") : null;
                    Int8Kernel k = depthwise ? Int8Kernels.depthwiseConv2D(p, w, 0, bias, 0, impl)
                            : Int8Kernels.conv2D(p, w, 0, bias, 0, impl);
                    return new GoldenCase(k, input, expected, p.toString());
                }
                case "fully_connected": {
                    int batches = c.get("input_batches").asInt();
                    int depth = c.get("accumulation_depth").asInt();
                    int outC = c.get("out_ch").asInt();
                    int filterOffset = c.has("filter_offset") ? c.get("filter_offset").asInt() : 0;
                    int inOff = c.get("input_offset").asInt(), outOff = c.get("output_offset").asInt();
                    int min = c.get("out_activation_min").asInt(), max = c.get("out_activation_max").asInt();
                    FullyConnectedParams p = arrays.has("output_mult")
                            ? FullyConnectedParams.perChannel(batches, depth, outC, inOff, filterOffset, outOff, min, max,
                                    ints(arrays, "output_mult"), ints(arrays, "output_shift"))
                            : FullyConnectedParams.perTensor(batches, depth, outC, inOff, filterOffset, outOff, min, max,
                                    c.get("output_multiplier").asInt(), c.get("output_shift").asInt());
                    int[] bias = arrays.has("biases") ? ints(arrays, "biases") : null;
                    Int8Kernel k = Int8Kernels.fullyConnected(p, bytes(arrays, "weights"), 0, bias, 0, impl);
                    return new GoldenCase(k, input, expected, p.toString());
                }
                case "max_pool":
                case "avg_pool": {
                    int inH = c.get("input_h").asInt(), inW = c.get("input_w").asInt();
                    int outH = c.get("output_h").asInt(), outW = c.get("output_w").asInt();
                    int fh = c.get("filter_h").asInt(), fw = c.get("filter_w").asInt();
                    int sh = c.get("stride_h").asInt(), sw = c.get("stride_w").asInt();
                    int ph = c.get("padding_h").asInt(), pw = c.get("padding_w").asInt();
                    PoolParams p = PoolParams.builder()
                            .input(c.get("batch_size").asInt(), inH, inW, c.get("input_c").asInt())
                            .output(outH, outW).kernel(fh, fw).stride(sh, sw)
                            .padding(ph, pw, padEnd(inH, outH, fh, sh, 1, ph), padEnd(inW, outW, fw, sw, 1, pw))
                            .activation(c.get("activation_min").asInt(), c.get("activation_max").asInt())
                            .build();
                    Int8Kernel k = kind.equals("max_pool") ? Int8Kernels.maxPool2D(p, impl) : Int8Kernels.averagePool2D(p, impl);
                    return new GoldenCase(k, input, expected, p.toString());
                }
                default:
                    throw new IllegalArgumentException("unknown golden kind " + kind);
            }
        }

        /** TFLite gives only the leading pad; the trailing pad is whatever the output size implies. */
        static int padEnd(int in, int out, int filter, int stride, int dilation, int padBegin) {
            return Math.max(0, (out - 1) * stride + dilation * (filter - 1) + 1 - in - padBegin);
        }

        static byte[] bytes(JsonNode arrays, String name) {
            JsonNode data = array(arrays, name, "int8_t");
            byte[] b = new byte[data.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) data.get(i).asInt();
            }
            return b;
        }

        static int[] ints(JsonNode arrays, String name) {
            JsonNode data = array(arrays, name, "int32_t");
            int[] v = new int[data.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = data.get(i).asInt();
            }
            return v;
        }

        private static JsonNode array(JsonNode arrays, String name, String type) {
            JsonNode a = arrays.get(name);
            if (a == null) {
                throw new IllegalArgumentException("golden case lacks array " + name);
            }
            if (!type.equals(a.get("type").asText())) {
                throw new IllegalArgumentException("array " + name + " has type " + a.get("type") + ", expected " + type);
            }
            return a.get("data");
        }
    }
}
