package dev.edgeq.cli;

import dev.edgeq.device.loop.ClassificationJson;
import dev.edgeq.device.loop.RuntimeFrameClassifier;
import dev.edgeq.imaging.ImageFiles;
import dev.edgeq.runtime.Classifier;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code edgeq classify}: one JSON line per image with the top-k labels and scores, in the schema of the
 * device's messages ({@link ClassificationJson}), from the pixels the device would see ({@link ImageFiles}).
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify PNG/JPEG images: one JSON line per image with the top-k labels and scores.")
public final class ClassifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.eqm", description = "The model file.")
    Path modelPath;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "PNG or JPEG images (center-cropped and resized to the model input).")
    List<Path> images;

    @Option(names = {"-k", "--top-k"}, defaultValue = "3", description = "How many classes per image (default ${DEFAULT-VALUE}).")
    int topK;

    @Override
    public Integer call() throws Exception {
        Model model = Model.load(modelPath);
        TensorInfo in = model.input();
        ImageFiles files = new ImageFiles(in.dim(1), in.dim(2), in.dim(3));
        byte[] pixels = new byte[files.outputBytes()];
        ClassificationJson json = new ClassificationJson();
        RuntimeFrameClassifier.ResultView view = new RuntimeFrameClassifier.ResultView();
        int failures = 0;
        try (Interpreter it = Interpreter.create(model)) {
            Classifier classifier = new Classifier(it, topK);
            for (Path image : images) {
                try {
                    files.read(image, pixels, 0);
                } catch (IOException e) {
                    System.err.println("edgeq: error: " + e.getMessage());
                    failures++;
                    continue;
                }
                System.out.println(json.classifyLine(image.toString(), view.of(classifier.classify(pixels, 0))));
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
