package dev.edgeq.converter.quantize;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.edgeq.converter.ConvertOptions;
import dev.edgeq.converter.OnnxConverter;
import dev.edgeq.converter.dataset.DatasetSpec;
import dev.edgeq.converter.dataset.LabeledImages;
import dev.edgeq.format.ModelFile;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The accuracy bar of the int8 issue on the bundled models (models/*.onnx + NAME.json, trained by
 * tools/train): each is converted to float, quantized with the default options calibrating on the
 * first 1000 Fashion-MNIST training images, and both are evaluated on the full 10k test set. Bar:
 * int8 top-1 within 0.3 points of float, and int8/float top-1 agreement >= 99.3%.
 *
 * <p>Needs Debian's dataset-fashion-mnist. {@code -Dedgeq.modelsDir=DIR} and
 * {@code -Dedgeq.accuracy.models=NAME,...} evaluate other models;
 * {@code -Dedgeq.accuracy.methods=minmax,percentile,mse} additionally measures those calibration
 * methods, and {@code -Dedgeq.accuracy.floatOutputLayer=true} each also with a float output layer
 * (the comparison behind the defaults; the bar applies to the default options only).
 */
class FashionMnistAccuracyTest {
    static final List<String> BUNDLED = List.of("fashion-seedcnn", "fashion-lenet5", "fashion-mobilenet-tiny",
            "fashion-resnet-tiny");
    static final String CALIBRATION = "fashion-mnist:train:1000";
    static final double MAX_DROP_POINTS = 0.3;
    static final double MIN_AGREEMENT = 0.993;

    @Test
    void int8StaysWithinTheBarOnEveryBundledModel() throws Exception {
        Path dir = Path.of(System.getProperty("edgeq.modelsDir", "../models"));
        List<Path> models = new ArrayList<>();
        String only = System.getProperty("edgeq.accuracy.models", "");
        for (String name : only.isBlank() ? BUNDLED : List.of(only.split(","))) {
            Path onnx = dir.resolve(name + ".onnx");
            if (!Files.isRegularFile(onnx)) {
                fail("bundled model " + onnx.toAbsolutePath() + " is missing (trained by tools/train, see the training issue)");
            }
            models.add(onnx);
        }
        List<QuantizeOptions> variants = new ArrayList<>();
        variants.add(QuantizeOptions.defaults());
        for (String m : System.getProperty("edgeq.accuracy.methods", "").split(",")) {
            if (!m.isBlank() && CalibrationMethod.parse(m.trim()) != QuantizeOptions.DEFAULT_METHOD) {
                variants.add(QuantizeOptions.defaults().withMethod(CalibrationMethod.parse(m.trim())));
            }
        }
        if (Boolean.getBoolean("edgeq.accuracy.floatOutputLayer")) {
            for (QuantizeOptions o : List.copyOf(variants)) {
                variants.add(o.withFloatOutputLayer(true));
            }
        }
        List<String> failures = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%-24s %-36s %8s %8s %7s %10s %12s %11s%n", "model", "calibration", "float", "int8", "drop",
                "agreement", "float bytes", "int8 bytes"));
        for (Path onnx : models) {
            ModelFile floatFile = OnnxConverter.convertFloat(onnx, ConvertOptions.defaults());
            Model floatModel = Model.fromProto(floatFile);
            TensorInfo in = floatModel.input();
            LabeledImages calibration = DatasetSpec.open(CALIBRATION, in.dim(1), in.dim(2), in.dim(3));
            LabeledImages test = DatasetSpec.open("fashion-mnist:test", in.dim(1), in.dim(2), in.dim(3));
            Images images = Images.load(test);
            int[] floatTop1 = top1(floatModel, images);
            for (QuantizeOptions options : variants) {
                QuantizationResult r = Quantizer.quantize(floatFile, calibration, options);
                int[] int8Top1 = top1(Model.fromProto(r.model()), images);
                int floatCorrect = 0;
                int int8Correct = 0;
                int agree = 0;
                for (int i = 0; i < images.count; i++) {
                    floatCorrect += floatTop1[i] == images.labels[i] ? 1 : 0;
                    int8Correct += int8Top1[i] == images.labels[i] ? 1 : 0;
                    agree += floatTop1[i] == int8Top1[i] ? 1 : 0;
                }
                double floatAcc = 100.0 * floatCorrect / images.count;
                double int8Acc = 100.0 * int8Correct / images.count;
                double agreement = (double) agree / images.count;
                table.append(String.format(Locale.ROOT, "%-24s %-36s %7.2f%% %7.2f%% %7.2f %9.2f%% %,12d %,11d%n",
                        floatModel.name(), options.describeMethod(), floatAcc, int8Acc, floatAcc - int8Acc,
                        100 * agreement, floatFile.getSerializedSize(), r.model().getSerializedSize()));
                if (options.equals(QuantizeOptions.defaults())) {
                    if (floatAcc - int8Acc > MAX_DROP_POINTS || agreement < MIN_AGREEMENT) {
                        failures.add(String.format(Locale.ROOT, "%s: float %.2f%%, int8 %.2f%% (drop %.2f points, bar %.1f),"
                                + " agreement %.2f%% (bar %.1f%%)", floatModel.name(), floatAcc, int8Acc, floatAcc - int8Acc,
                                MAX_DROP_POINTS, 100 * agreement, 100 * MIN_AGREEMENT));
                        System.out.print(r.report().toText());
                    }
                }
            }
        }
        System.out.print("Fashion-MNIST test set (10,000 images), calibration " + CALIBRATION + "\n" + table);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** The test set in memory (so that evaluation threads share one read-only array). */
    static final class Images {
        final int count;
        final int size;
        final byte[] pixels;
        final int[] labels;

        private Images(int count, int size) {
            this.count = count;
            this.size = size;
            this.pixels = new byte[count * size];
            this.labels = new int[count];
        }

        static Images load(LabeledImages source) {
            Images im = new Images(source.size(), source.height() * source.width() * source.channels());
            for (int i = 0; i < im.count; i++) {
                source.pixels(i, im.pixels, i * im.size);
                im.labels[i] = source.label(i);
            }
            return im;
        }
    }

    /** Top-1 class of every image, one Interpreter per thread over interleaved slices. */
    static int[] top1(Model model, Images images) throws Exception {
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        int[] result = new int[images.count];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                jobs.add(pool.submit(() -> {
                    try (Interpreter it = Interpreter.create(model)) {
                        float[] out = new float[it.outputSize()];
                        for (int i = first; i < images.count; i += threads) {
                            it.setInputPixels(images.pixels, i * images.size);
                            it.run();
                            it.outputFloat(out);
                            result[i] = RangeSelector.argmax(out);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return result;
    }
}
