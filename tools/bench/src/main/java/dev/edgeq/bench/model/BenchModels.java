package dev.edgeq.bench.model;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.ConvertOptions;
import dev.edgeq.converter.OnnxConverter;
import dev.edgeq.converter.dataset.DatasetSpec;
import dev.edgeq.converter.dataset.LabeledImages;
import dev.edgeq.converter.export.OnnxExporter;
import dev.edgeq.converter.quantize.QuantizationResult;
import dev.edgeq.converter.quantize.QuantizeOptions;
import dev.edgeq.converter.quantize.Quantizer;
import dev.edgeq.format.ModelFile;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The models the benchmarks run, prepared once before JMH starts (so that no fork spends its time
 * quantizing): for each bundled {@code models/fashion-NAME.onnx} (with its NAME.json), in the
 * directory {@code -Dedgeq.bench.models} (default {@code tools/bench/target/bench-models}):
 * <ul>
 *   <li>{@code NAME.onnx}: the source float ONNX (what ONNX Runtime float runs);</li>
 *   <li>{@code NAME.float.eqm}: edgeq float;</li>
 *   <li>{@code NAME.int8.eqm}: edgeq int8, calibrated on the first 1000 Fashion-MNIST training images
 *       with the converter's default method;</li>
 *   <li>{@code NAME.int8.onnx}: the int8 model exported by edgeq (what ONNX Runtime int8 runs).</li>
 * </ul>
 * <p>With a third argument, also every {@code FAMILY.onnx} (and FAMILY.json) of a folder written by
 * {@code tools/zoo/zoo.py --size full} (torchvision families at 224 px), calibrated on the first
 * {@code -Dedgeq.bench.zooCalibration} (default 16) Fashion-MNIST training images.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.edgeq.bench.model.BenchModels [MODELS_DIR [OUT_DIR [ZOO_DIR]]]};
 * prints the prepared names, comma-separated, on the last line (the run script passes them to JMH).
 */
public final class BenchModels {
    public static final String DIR_PROPERTY = "edgeq.bench.models";
    static final String DEFAULT_DIR = "tools/bench/target/bench-models";
    public static final String CALIBRATION = "fashion-mnist:train:1000";
    /** Calibration images of the zoo models (default 16). */
    public static final String ZOO_CALIBRATION_PROPERTY = "edgeq.bench.zooCalibration";

    private BenchModels() {}

    public static Path dir() {
        return Path.of(System.getProperty(DIR_PROPERTY, DEFAULT_DIR));
    }

    public static Path sourceOnnx(String name) { return dir().resolve(name + ".onnx"); }
    public static Path floatEqm(String name) { return dir().resolve(name + ".float.eqm"); }
    public static Path int8Eqm(String name) { return dir().resolve(name + ".int8.eqm"); }
    public static Path int8Onnx(String name) { return dir().resolve(name + ".int8.onnx"); }

    /** One Fashion-MNIST test image (index {@code index}) at the model's input size. */
    public static byte[] testImage(Model model, int index) throws Exception {
        TensorInfo in = model.input();
        LabeledImages images = DatasetSpec.open("fashion-mnist:test", in.dim(1), in.dim(2), in.dim(3));
        byte[] pixels = new byte[in.elementCount()];
        images.pixels(index, pixels, 0);
        return pixels;
    }

    public static void main(String[] args) throws Exception {
        Path models = Path.of(args.length > 0 ? args[0] : "models");
        Path out = args.length > 1 ? Path.of(args[1]) : dir();
        Path zoo = args.length > 2 ? Path.of(args[2]) : null;
        Files.createDirectories(out);
        List<String> names = new ArrayList<>();
        for (Path onnx : list(models, "fashion-.*\\.onnx")) {
            String file = onnx.getFileName().toString();
            prepare(onnx, file.substring("fashion-".length(), file.length() - ".onnx".length()), CALIBRATION, out, names);
        }
        if (names.isEmpty()) {
            throw new IOException("none of the bundled models (fashion-*.onnx) in " + models.toAbsolutePath() + " converted");
        }
        if (zoo != null) {
            // Speed does not depend on how good the calibration is: a few images keep preparation short.
            String calibration = "fashion-mnist:train:" + Integer.getInteger(ZOO_CALIBRATION_PROPERTY, 16);
            for (Path onnx : list(zoo, "[a-z0-9_]+\\.onnx")) {
                String file = onnx.getFileName().toString();
                prepare(onnx, file.substring(0, file.length() - ".onnx".length()), calibration, out, names);
            }
        }
        System.out.println(String.join(",", names));
    }

    private static List<Path> list(Path dir, String fileNamePattern) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches(fileNamePattern)).sorted().collect(Collectors.toList());
        }
    }

    /** Writes the four files of one model and adds its name, or prints why it cannot be benchmarked. */
    private static void prepare(Path onnx, String name, String calibrationSpec, Path out, List<String> names) throws Exception {
        long start = System.nanoTime();
        ModelFile floatFile;
        try {
            floatFile = OnnxConverter.convertFloat(onnx, ConvertOptions.defaults());
        } catch (ConversionException e) {
            // reported in BENCHMARKS.md; the other models are still measured
            System.out.println("NOT BENCHMARKED " + name + ": " + e.getMessage().strip().replace('\n', ' '));
            return;
        }
        Model floatModel = Model.fromProto(floatFile);
        TensorInfo in = floatModel.input();
        LabeledImages calibration = DatasetSpec.open(calibrationSpec, in.dim(1), in.dim(2), in.dim(3));
        QuantizationResult q = Quantizer.quantize(floatFile, calibration, QuantizeOptions.defaults());
        Files.copy(onnx, out.resolve(name + ".onnx"), StandardCopyOption.REPLACE_EXISTING);
        OnnxConverter.write(floatFile, out.resolve(name + ".float.eqm"));
        OnnxConverter.write(q.model(), out.resolve(name + ".int8.eqm"));
        OnnxExporter.exportToFile(Model.fromProto(q.model()), out.resolve(name + ".int8.onnx"));
        System.out.printf("prepared %-18s float %9d B, int8 %9d B, calibrated on %s (%.1f s)%n", name,
                Files.size(out.resolve(name + ".float.eqm")), Files.size(out.resolve(name + ".int8.eqm")),
                calibrationSpec, (System.nanoTime() - start) / 1e9);
        names.add(name);
    }
}
