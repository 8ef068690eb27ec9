package dev.edgeq.converter.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.converter.quantize.QuantizeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every CNN classification family of torchvision 0.14 (issue 10), built in the test by
 * tools/zoo/zoo.py with random weights and BatchNorm statistics re-estimated on images, at CI size
 * (64 px, inception_v3 75 px; reduced widths or depths where the constructors allow, see zoo.py):
 * edgeq converts each to float and int8 with the default options; the float model agrees with ONNX
 * Runtime within {@value #FLOAT_BAR} of the largest logit, and the int8 logits are no further from
 * PyTorch's float logits (SQNR) than PyTorch 1.13's own FX post-training quantization (onednn
 * qconfig) on the same weights and calibration images.
 *
 * <p>Families whose export uses operators edgeq lacks are listed in {@link #NOT_YET_CONVERTED}
 * with the op types the conversion error must name; a family that starts converting fails here
 * until it is taken off the list, so the list stays true.
 *
 * <p>Random-weight networks with BatchNorm amplify small perturbations (tools/zoo/README.md), so
 * their int8 SQNRs are low for both quantizers; the comparison is what counts. Measured today:
 * int8 conversion takes 10-40 CPU seconds per family (bias correction is O(depth^2), issue 11),
 * which is why the calibration set is small.
 *
 * <p>{@code -Dedgeq.zoo.dir=DIR} reuses a folder zoo.py wrote; {@code -Dedgeq.zoo.families=a,b}
 * builds and checks only those.
 */
class ModelZooTest {
    static final double FLOAT_BAR = 1e-4;
    static final int CALIBRATION_IMAGES = 8;
    static final int TEST_IMAGES = 8;

    /**
     * family -> the op types edgeq cannot convert yet, as its conversion error names them (the
     * importer does not report the consumers of an unsupported node, so a later op, such as the Mul
     * after HardSigmoid, shows once the first is supported). Grouped Conv is reported as Conv.
     */
    static final Map<String, Set<String>> NOT_YET_CONVERTED = Map.of();

    /**
     * family -> why edgeq's int8 logits are further from float than PyTorch FX's today (measured at CI
     * size); such a family must still convert, and fails here once it is no longer behind.
     * Since 2026-12-02 the FX side is its reference model (zoo.py: convert_to_reference_fx), which
     * does not depend on the CPU. Before, it was FX's oneDNN int8 kernels, which on a CPU without
     * AVX-512 VNNI saturate int16 pair sums: on the AVX2 machine every family passed, on a VNNI
     * machine these five did not (edgeq / FX reference, dB, 8 calibration and 8 test images).
     * Why each is behind is not known yet: FX's HistogramObserver minimises the L2 quantization
     * error per tensor, edgeq uses percentile 99.99 with bias correction (tools/zoo/README.md).
     */
    static final Map<String, String> INT8_BEHIND_PYTORCH = Map.of(
            "alexnet", "44.04 vs 44.17",
            "resnet18", "21.09 vs 21.84",
            "resnext50_32x4d", "15.08 vs 17.91",
            "inception_v3", "2.32 vs 2.56",
            "mnasnet0_5", "4.47 vs 5.93");

    private static ModelZoo zoo;
    private static Path generated;

    @BeforeAll
    static void generate() throws Exception {
        if (zoo != null) {
            return;
        }
        String reuse = System.getProperty("edgeq.zoo.dir", "");
        if (!reuse.isBlank()) {
            zoo = ModelZoo.read(Path.of(reuse));
            return;
        }
        generated = Files.createTempDirectory("edgeq-zoo");
        long start = System.nanoTime();
        zoo = ModelZoo.generate(generated, "ci", CALIBRATION_IMAGES, TEST_IMAGES, only());
        System.out.printf(Locale.ROOT, "zoo.py: %d families in %.1f s%n", zoo.families().size(),
                (System.nanoTime() - start) / 1e9);
        Files.readAllLines(generated.resolve("zoo.log")).stream().filter(l -> l.startsWith("zoo:"))
                .forEach(System.out::println);
    }

    @AfterAll
    static void removeGenerated() throws Exception {
        if (generated != null) {
            try (Stream<Path> files = Files.walk(generated)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    static Stream<String> families() throws Exception {
        if (zoo == null) {
            generate();
        }
        return zoo.families().stream().map(ZooFamily::name).filter(n -> only().isEmpty() || only().contains(n));
    }

    private static List<String> only() {
        String only = System.getProperty("edgeq.zoo.families", "");
        return only.isBlank() ? List.of() : List.of(only.split(","));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void convertsToFloatAndInt8(String name) throws Exception {
        ZooFamily family = zoo.family(name);
        ZooResult r = ZooCheck.check(family, QuantizeOptions.defaults());
        System.out.println(ZooTable.row(r));
        Set<String> missing = NOT_YET_CONVERTED.get(name);
        if (missing != null) {
            assertFalse(r.convertsFloat(), name + " converts now: take it off NOT_YET_CONVERTED");
            assertEquals(missing, r.unsupportedOps(), () -> name + ": the unsupported ops named in\n"
                    + r.floatError().lines().limit(4).collect(Collectors.joining("\n")) + "\n  ...");
            return;
        }
        assertTrue(r.convertsFloat(), () -> name + ": " + r.floatError());
        assertTrue(r.floatMaxRelativeDiff() <= FLOAT_BAR, name + ": edgeq float vs ONNX Runtime, max relative difference "
                + r.floatMaxRelativeDiff());
        assertNull(r.int8Error(), name + ": int8 conversion failed");
        assertNull(family.fxError(), name + ": no PyTorch FX reference to compare with");
        String comparison = String.format(Locale.ROOT, "%s: edgeq int8 logit SQNR %.2f dB, PyTorch FX %.2f dB", name,
                r.int8SqnrDb(), family.fxSqnrDb());
        if (INT8_BEHIND_PYTORCH.containsKey(name)) {
            assertTrue(r.int8SqnrDb() < family.fxSqnrDb(), comparison + ": no longer behind, take it off INT8_BEHIND_PYTORCH");
        } else {
            assertTrue(r.int8SqnrDb() >= family.fxSqnrDb(), comparison);
        }
    }
}
