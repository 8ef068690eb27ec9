package dev.edgeq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeq.converter.dataset.ClassMapping;
import dev.edgeq.converter.dataset.DatasetSpec;
import dev.edgeq.converter.dataset.LabeledImages;
import dev.edgeq.device.loop.ClassificationJson;
import dev.edgeq.device.loop.RuntimeFrameClassifier;
import dev.edgeq.runtime.Classifier;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgeq eval}: top-1/top-5 accuracy and a confusion matrix of a model on a labeled dataset. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Measure top-1/top-5 accuracy and the confusion matrix of a model on a labeled dataset.")
public final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.eqm", description = "The model file.")
    Path modelPath;

    @Option(names = "--dataset", required = true, paramLabel = "SPEC",
            description = "fashion-mnist:test | fashion-mnist:train | idx:IMAGES.gz,LABELS.gz | folder:DIR (optional :N suffix = first N).")
    String dataset;

    @Option(names = "--limit", paramLabel = "N", description = "Evaluate only the first N images.")
    int limit;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @Option(names = "--dump-outputs", paramLabel = "FILE",
            description = "Write every image's raw output (int8 bytes, or float32 little-endian) to FILE, for bit-exact comparisons across machines.")
    Path dumpOutputs;

    @Option(names = "--per-image", paramLabel = "FILE",
            description = "Write one JSON line per image to FILE: index, image file (folder datasets), true_label, correct, "
                    + "and label, score, top_k as classify prints them.")
    Path perImage;

    @Option(names = "--no-progress", description = "No progress bar on stderr (there is none anyway when stderr is not a terminal).")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        Model model = ModelFiles.load(modelPath);
        TensorInfo in = model.input();
        LabeledImages images = DatasetSpec.open(limit > 0 && !dataset.matches(".*:\\d+$") ? dataset + ":" + limit : dataset,
                in.dim(1), in.dim(2), in.dim(3));
        EvalResult result = evaluate(model, images, !noProgress && !json, dumpOutputs, perImage);
        if (result.mapping.warning() != null) {
            System.err.println("edgeq eval: warning: " + result.mapping.warning());
        } else if (result.mapping.byName()) {
            System.err.println("edgeq eval: " + result.mapping.describe());
        }
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            System.out.println(mapper.writeValueAsString(result.toJson(mapper, model, images)));
        } else {
            System.out.print(result.toText(model, images));
        }
        return 0;
    }

    /** Runs the model over every image and tallies top-1, top-5 and the confusion matrix. */
    static EvalResult evaluate(Model model, LabeledImages images, boolean progress, Path dump) throws Exception {
        return evaluate(model, images, progress, dump, null);
    }

    /** As above; with {@code perImage}, also writes each image's result there as a JSON line. */
    static EvalResult evaluate(Model model, LabeledImages images, boolean progress, Path dump, Path perImage) throws Exception {
        int classes = model.output().elementCount();
        EvalResult r = new EvalResult(classes, ClassMapping.of(images, model.labels(), classes));
        TensorInfo out = model.output();
        byte[] pixels = new byte[images.height() * images.width() * images.channels()];
        float[] scores = new float[classes];
        byte[] raw = new byte[classes];
        boolean int8Out = out.type() == dev.edgeq.format.DataType.INT8;
        ProgressBar bar = progress && images.size() >= 500 ? Stderr.progressBar("eval", images.size()) : null;
        try (Interpreter it = Interpreter.create(model);
             OutputStream dumpStream = dump == null ? OutputStream.nullOutputStream()
                     : new BufferedOutputStream(Files.newOutputStream(dump), 1 << 16);
             DataOutputStream dumpData = new DataOutputStream(dumpStream);
             java.io.BufferedWriter perImageLines = perImage == null ? null : Files.newBufferedWriter(perImage)) {
            Classifier classifier = new Classifier(it, Math.min(5, classes));
            RuntimeFrameClassifier.ResultView view = new RuntimeFrameClassifier.ResultView();
            ClassificationJson json = new ClassificationJson();
            List<String> labels = EvalResult.labels(model, images);
            long start = System.nanoTime();
            for (int i = 0; i < images.size(); i++) {
                images.pixels(i, pixels, 0);
                it.setInputPixels(pixels, 0);
                it.run();
                it.outputFloat(scores);
                if (dump != null) {
                    if (int8Out) {
                        it.outputInt8(raw);
                        dumpData.write(raw);
                    } else {
                        for (float s : scores) {
                            dumpData.writeInt(Integer.reverseBytes(Float.floatToRawIntBits(s)));
                        }
                    }
                }
                int label = r.mapping.modelClass(images.label(i));
                r.add(label, scores);
                if (perImageLines != null) {
                    String trueLabel = label < labels.size() ? labels.get(label) : "class " + label;
                    perImageLines.write(json.evalLine(i, images.imageName(i), label, trueLabel, view.of(classifier.finish(0))));
                    perImageLines.newLine();
                }
                if (bar != null) {
                    bar.step();
                }
            }
            r.seconds = (System.nanoTime() - start) / 1e9;
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        return r;
    }

    /** Tallies of one evaluation. */
    static final class EvalResult {
        final int[][] confusion;
        final ClassMapping mapping;
        int total;
        int top1;
        int top5;
        double seconds;

        EvalResult(int classes, ClassMapping mapping) {
            confusion = new int[classes][classes];
            this.mapping = mapping;
        }

        void add(int label, float[] scores) {
            int best = 0;
            for (int c = 1; c < scores.length; c++) {
                if (scores[c] > scores[best]) {
                    best = c;
                }
            }
            int higher = 0;
            for (float s : scores) {
                if (label < scores.length && s > scores[label]) {
                    higher++;
                }
            }
            total++;
            if (label < scores.length) {
                confusion[label][best]++;
                if (best == label) {
                    top1++;
                }
                if (higher < 5) {
                    top5++;
                }
            }
        }

        double top1Accuracy() { return total == 0 ? 0 : (double) top1 / total; }
        double top5Accuracy() { return total == 0 ? 0 : (double) top5 / total; }

        String toText(Model model, LabeledImages images) {
            List<String> labels = labels(model, images);
            StringBuilder b = new StringBuilder();
            b.append(String.format("model    %s (%s)%n", model.name(), model.isQuantized() ? "int8" : "float"));
            b.append(String.format("dataset  %s, %d images%n", images.description(), total));
            if (images.labelsFromNames()) {
                b.append(String.format("classes  %s%n", mapping.byName() ? "matched to the model's labels by folder name"
                        : "taken in sorted folder order (names do not match the model's labels)"));
            }
            b.append(String.format("top-1    %.2f%% (%d/%d)%n", 100 * top1Accuracy(), top1, total));
            b.append(String.format("top-5    %.2f%% (%d/%d)%n", 100 * top5Accuracy(), top5, total));
            b.append(String.format("speed    %.0f images/s (single thread, %s kernels, includes resizing)%n%n", total / Math.max(seconds, 1e-9),
                    Int8Kernels.resolve(Int8Kernels.Implementation.AUTO)));
            b.append("confusion matrix (rows: true label, columns: predicted)\n");
            b.append(String.format("%-14s", ""));
            for (int c = 0; c < confusion.length; c++) {
                b.append(String.format("%6d", c));
            }
            b.append('\n');
            for (int t = 0; t < confusion.length; t++) {
                String name = t < labels.size() ? labels.get(t) : "class " + t;
                b.append(String.format("%2d %-11.11s", t, name));
                for (int p = 0; p < confusion.length; p++) {
                    b.append(String.format("%6d", confusion[t][p]));
                }
                b.append('\n');
            }
            return b.toString();
        }

        ObjectNode toJson(ObjectMapper mapper, Model model, LabeledImages images) {
            ObjectNode root = mapper.createObjectNode();
            root.put("model", model.name());
            root.put("quantized", model.isQuantized());
            root.put("dataset", images.description());
            root.put("images", total);
            root.put("top1", top1Accuracy());
            root.put("top5", top5Accuracy());
            root.put("top1_correct", top1);
            root.put("top5_correct", top5);
            root.put("class_mapping", mapping.byName() ? "by_name" : "by_number");
            ArrayNode labelArray = root.putArray("labels");
            labels(model, images).forEach(labelArray::add);
            ArrayNode rows = root.putArray("confusion");
            for (int[] row : confusion) {
                ArrayNode r = rows.addArray();
                for (int v : row) {
                    r.add(v);
                }
            }
            return root;
        }

        static List<String> labels(Model model, LabeledImages images) {
            return !model.labels().isEmpty() ? model.labels() : images.classNames();
        }
    }
}
