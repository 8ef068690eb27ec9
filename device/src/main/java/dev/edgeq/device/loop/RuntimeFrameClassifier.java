package dev.edgeq.device.loop;

import dev.edgeq.format.InputSpec;
import dev.edgeq.runtime.Classification;
import dev.edgeq.runtime.Classifier;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;

import java.io.IOException;
import java.nio.file.Path;

/** The edgeq runtime's {@link Classifier} behind the loop's {@link FrameClassifier} seam. */
public final class RuntimeFrameClassifier implements FrameClassifier {
    private final Model model;
    private final Interpreter interpreter;
    private final Classifier classifier;
    private final int height;
    private final int width;
    private final int channels;
    private final ResultView view = new ResultView();

    private RuntimeFrameClassifier(Model model, int topK) throws ModelFormatException {
        this.model = model;
        InputSpec spec = model.metadata().getInputSpec();
        if (spec.getHeight() < 1 || spec.getWidth() < 1 || (spec.getChannels() != 1 && spec.getChannels() != 3)) {
            throw new ModelFormatException("model " + model.name() + " has no usable input spec (height "
                    + spec.getHeight() + ", width " + spec.getWidth() + ", channels " + spec.getChannels()
                    + "); the device needs H, W and 1 or 3 channels");
        }
        this.height = spec.getHeight();
        this.width = spec.getWidth();
        this.channels = spec.getChannels();
        this.interpreter = Interpreter.create(model);
        this.classifier = new Classifier(interpreter, topK);
    }

    public static RuntimeFrameClassifier open(Path file, int topK) throws IOException, ModelFormatException {
        return new RuntimeFrameClassifier(Model.load(file), topK);
    }

    public static RuntimeFrameClassifier of(Model model, int topK) throws ModelFormatException {
        return new RuntimeFrameClassifier(model, topK);
    }

    @Override public int inputHeight() { return height; }
    @Override public int inputWidth() { return width; }
    @Override public int inputChannels() { return channels; }
    @Override public String modelName() { return model.name().isEmpty() ? "model" : model.name(); }
    @Override public String modelSha256() { return model.sha256(); }

    @Override
    public Result classify(byte[] pixels, int offset) {
        return view.of(classifier.classify(pixels, offset));
    }

    /**
     * One trial inference on a mid-gray input; returns the first output that is not a finite number (NaN or
     * infinite) as its index, or -1 when all are finite. For validating a model before it replaces another.
     */
    public int trialNonFiniteOutput() {
        byte[] gray = new byte[height * width * channels];
        java.util.Arrays.fill(gray, (byte) 128);
        classifier.classify(gray, 0);
        float[] out = new float[interpreter.outputSize()];
        interpreter.outputFloat(out);
        for (int i = 0; i < out.length; i++) if (!Float.isFinite(out[i])) return i;
        return -1;
    }

    @Override
    public void close() {
        interpreter.close();
    }

    /** The runtime's {@link Classification} seen as a {@link Result} (reusable: {@link #of} rebinds it). */
    public static final class ResultView implements Result {
        private Classification c;

        public ResultView of(Classification classification) {
            c = classification;
            return this;
        }

        @Override public int count() { return c.count(); }
        @Override public int index(int i) { return c.index(i); }
        @Override public String label(int i) { return c.label(i); }
        @Override public float score(int i) { return c.score(i); }
        @Override public long inferenceNanos() { return c.inferenceNanos(); }
    }
}
