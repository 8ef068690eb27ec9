package dev.edgeq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeq.converter.dataset.FolderImages;
import dev.edgeq.runtime.Classification;
import dev.edgeq.runtime.Classifier;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.TensorInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgeq classify}: one JSON line per image with the top-k labels and scores. */
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
        Model model = ModelFiles.load(modelPath);
        TensorInfo in = model.input();
        ObjectMapper mapper = new ObjectMapper();
        byte[] pixels = new byte[in.dim(1) * in.dim(2) * in.dim(3)];
        int failures = 0;
        try (Interpreter it = Interpreter.create(model)) {
            Classifier classifier = new Classifier(it, topK);
            for (Path image : images) {
                ObjectNode line = mapper.createObjectNode();
                line.put("image", image.toString());
                try {
                    FolderImages.decodeInto(image, pixels, 0, in.dim(1), in.dim(2), in.dim(3));
                } catch (dev.edgeq.converter.dataset.DatasetException e) {
                    System.err.println("edgeq: error: " + e.getMessage());
                    failures++;
                    continue;
                }
                Classification r = classifier.classify(pixels, 0);
                line.put("label", r.label(0));
                line.put("score", round(r.score(0)));
                ArrayNode top = line.putArray("top_k");
                for (int i = 0; i < r.count(); i++) {
                    top.addObject().put("label", r.label(i)).put("score", round(r.score(i)));
                }
                line.put("inference_ms", round(r.inferenceNanos() / 1e6));
                System.out.println(mapper.writeValueAsString(line));
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
