package dev.edgeq.cli;

import dev.edgeq.converter.ConvertOptions;
import dev.edgeq.converter.OnnxConverter;
import dev.edgeq.converter.inspect.InspectReport;
import dev.edgeq.converter.inspect.ModelInspector;
import dev.edgeq.converter.dataset.DatasetSpec;
import dev.edgeq.converter.dataset.LabeledImages;
import dev.edgeq.converter.quantize.CalibrationMethod;
import dev.edgeq.converter.quantize.Progress;
import dev.edgeq.converter.quantize.QuantizationResult;
import dev.edgeq.converter.quantize.QuantizeOptions;
import dev.edgeq.converter.quantize.Quantizer;
import dev.edgeq.format.InputSpec;
import dev.edgeq.format.ModelFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code edgeq convert MODEL.onnx -o OUT.eqm --calibration SPEC} (int8, the default) or
 * {@code --float}: ONNX -> .eqm. Labels and preprocessing
 * come from the NAME.json beside the ONNX file when present; flags override it. All option
 * handling is in {@link #options()}.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert an ONNX model (and the NAME.json beside it) to an edgeq .eqm model file.")
public final class ConvertCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model (opset 11-17, batch 1 or symbolic).")
    Path onnx;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.eqm", description = "The model file to write.")
    Path output;

    @Option(names = "--float", description = "Write a float32 model (no quantization).")
    boolean floatModel;

    @Option(names = "--calibration", paramLabel = "SPEC",
            description = "Images to calibrate the int8 ranges on: fashion-mnist:train:1000 | idx:IMAGES,LABELS[:N] | folder:DIR[:N].")
    String calibration;

    @Option(names = "--method", paramLabel = "minmax|percentile|mse",
            description = "How activation ranges are chosen from the calibration data (default: the quantizer's default, see README).")
    String method;

    @Option(names = "--percentile", paramLabel = "P", description = "Percentile for --method percentile (default 99.99).")
    Double percentile;

    @Option(names = "--no-bias-correction",
            description = "Skip the empirical bias correction (which shifts each int8 layer's bias by its mean quantization error on the calibration data).")
    boolean noBiasCorrection;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads calibration, bias correction and measuring spread the images over (default: one per available processor); the .eqm bytes are the same whatever N.")
    Integer threads;

    @Option(names = "--json", description = "Print the per-layer quantization report as JSON instead of text.")
    boolean json;

    @Option(names = "--labels", paramLabel = "FILE", description = "Class labels, one per line (overrides the JSON).")
    Path labels;

    @Option(names = "--mean", paramLabel = "M[,M...]", description = "Input mean, one value or one per channel, on the pixel_scale-scaled input (overrides the JSON).")
    String mean;

    @Option(names = "--std", paramLabel = "S[,S...]", description = "Input std, one value or one per channel (overrides the JSON).")
    String std;

    @Option(names = "--color", paramLabel = "gray|rgb", description = "Input color mode (overrides the JSON; default from the channel count).")
    String color;

    @Option(names = "--name", description = "Model name (default: from the JSON, else the file name).")
    String name;

    @Option(names = "--metadata", paramLabel = "JSON", description = "Read this metadata JSON instead of NAME.json beside the model.")
    Path metadata;

    @Option(names = "--no-metadata", description = "Ignore NAME.json beside the model.")
    boolean noMetadata;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(onnx)) {
            throw new Main.UsageError("no such ONNX file: " + onnx);
        }
        if (!floatModel) {
            return convertInt8();
        }
        if (calibration != null || method != null || threads != null) {
            throw new Main.UsageError("--calibration, --method and --threads quantize to int8; they do not go with --float");
        }
        ModelFile model = OnnxConverter.convertFloatToFile(onnx, output, options());
        InspectReport r = ModelInspector.describe(model, onnx.toString(), "onnx");
        System.out.printf("wrote %s: %s, %d ops, %,d parameters, %,d MACs, %,d bytes (float32), %d labels%n",
                output, model.getMetadata().getModelName(), model.getOperatorsCount(), r.totalParams(), r.totalMacs(),
                Files.size(output), model.getMetadata().getLabelsCount());
        return 0;
    }

    private int convertInt8() throws Exception {
        if (calibration == null) {
            throw new Main.UsageError("int8 conversion needs calibration images: --calibration SPEC (e.g. fashion-mnist:train:1000), or --float");
        }
        QuantizeOptions q = QuantizeOptions.defaults();
        if (method != null) {
            try {
                q = q.withMethod(CalibrationMethod.parse(method));
            } catch (IllegalArgumentException e) {
                throw new Main.UsageError(e.getMessage());
            }
        }
        if (percentile != null) {
            q = q.withPercentile(percentile);
        }
        if (noBiasCorrection) {
            q = q.withBiasCorrection(false);
        }
        if (threads != null) {
            if (threads < 1) {
                throw new Main.UsageError("--threads " + threads + ": expected 1 or more");
            }
            q = q.withThreads(threads);
        }
        ModelFile floatFile = OnnxConverter.convertFloat(onnx, options());
        InputSpec spec = floatFile.getMetadata().getInputSpec();
        LabeledImages images = DatasetSpec.open(calibration, spec.getHeight(), spec.getWidth(), spec.getChannels());
        QuantizationResult result;
        try (QuantizeProgressBar bar = QuantizeProgressBar.onStderr()) {
            result = Quantizer.quantize(floatFile, images, q, bar == null ? Progress.NONE : bar);
        }
        OnnxConverter.write(result.model(), output);
        if (json) {
            System.out.println(result.report().toJson());
        } else {
            System.out.print(result.report().toText());
            System.out.printf("wrote %s: int8, %,d bytes (float32 would be %,d)%n", output, Files.size(output),
                    floatFile.getSerializedSize());
        }
        return 0;
    }

    /** Every conversion option from the command line, in one place. */
    ConvertOptions options() throws IOException {
        ConvertOptions o = ConvertOptions.defaults();
        if (name != null) {
            o = o.withModelName(name);
        }
        if (labels != null) {
            o = o.withLabels(readLabels(labels));
        }
        if (mean != null) {
            o = o.withMean(floats("--mean", mean));
        }
        if (std != null) {
            o = o.withStd(floats("--std", std));
        }
        if (color != null) {
            try {
                o = o.withColor(OnnxConverter.parseColor(color, "--color"));
            } catch (dev.edgeq.converter.ConversionException e) {
                throw new Main.UsageError(e.getMessage());
            }
        }
        if (metadata != null) {
            o = o.withSidecarJson(metadata);
        }
        if (noMetadata) {
            o = o.withReadSidecar(false);
        }
        return o;
    }

    static List<String> readLabels(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new Main.UsageError("no such labels file: " + file);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).toList();
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isEmpty()) {
            end--;
        }
        List<String> l = lines.subList(0, end);
        if (l.isEmpty()) {
            throw new Main.UsageError("labels file " + file + " is empty");
        }
        return l;
    }

    static float[] floats(String flag, String text) {
        String[] parts = text.split(",");
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Float.parseFloat(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new Main.UsageError(flag + " '" + text + "': expected numbers separated by commas");
            }
        }
        return v;
    }
}
