package dev.edgeq.bench.model;

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
 * Usage: {@code java -cp benchmarks.jar dev.edgeq.bench.model.BenchModels [MODELS_DIR [OUT_DIR]]};
 * prints the prepared names, comma-separated, on the last line (the run script passes them to JMH).
 */
public final class BenchModels {
    public static final String DIR_PROPERTY = "edgeq.bench.models";
    static final String DEFAULT_DIR = "tools/bench/target/bench-models";
    public static final String CALIBRATION = "fashion-mnist:train:1000";

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
        Files.createDirectories(out);
        List<Path> sources;
        try (Stream<Path> s = Files.list(models)) {
            sources = s.filter(p -> p.getFileName().toString().matches("fashion-.*\\.onnx")).sorted()
                    .collect(Collectors.toList());
        }
        if (sources.isEmpty()) {
            throw new IOException("no bundled models (fashion-*.onnx) in " + models.toAbsolutePath());
        }
        List<String> names = new ArrayList<>();
        for (Path onnx : sources) {
            String file = onnx.getFileName().toString();
            String name = file.substring("fashion-".length(), file.length() - ".onnx".length());
            long start = System.nanoTime();
            ModelFile floatFile = OnnxConverter.convertFloat(onnx, ConvertOptions.defaults());
            Model floatModel = Model.fromProto(floatFile);
            TensorInfo in = floatModel.input();
            LabeledImages calibration = DatasetSpec.open(CALIBRATION, in.dim(1), in.dim(2), in.dim(3));
            QuantizationResult q = Quantizer.quantize(floatFile, calibration, QuantizeOptions.defaults());
            Files.copy(onnx, out.resolve(name + ".onnx"), StandardCopyOption.REPLACE_EXISTING);
            OnnxConverter.write(floatFile, out.resolve(name + ".float.eqm"));
            OnnxConverter.write(q.model(), out.resolve(name + ".int8.eqm"));
            OnnxExporter.exportToFile(Model.fromProto(q.model()), out.resolve(name + ".int8.onnx"));
            System.out.printf("prepared %-16s float %7d B, int8 %7d B (%.1f s)%n", name,
                    Files.size(out.resolve(name + ".float.eqm")), Files.size(out.resolve(name + ".int8.eqm")),
                    (System.nanoTime() - start) / 1e9);
            names.add(name);
        }
        System.out.println(String.join(",", names));
    }
}
