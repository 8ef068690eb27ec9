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

    private RuntimeFrameClassifier(Model model, int topK, int threads) throws ModelFormatException {
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
        this.interpreter = Interpreter.create(model, Interpreter.Options.builder().threads(threads).build());
        this.classifier = new Classifier(interpreter, topK);
    }

    public static RuntimeFrameClassifier open(Path file, int topK) throws IOException, ModelFormatException {
        return open(file, topK, 1);
    }

    /** The model in {@code file}, its interpreter using {@code threads} threads per inference. */
    public static RuntimeFrameClassifier open(Path file, int topK, int threads) throws IOException, ModelFormatException {
        return new RuntimeFrameClassifier(Model.load(file), topK, threads);
    }

    public static RuntimeFrameClassifier of(Model model, int topK) throws ModelFormatException {
        return of(model, topK, 1);
    }

    public static RuntimeFrameClassifier of(Model model, int topK, int threads) throws ModelFormatException {
        return new RuntimeFrameClassifier(model, topK, threads);
    }

    @Override public int inputHeight() { return height; }
    @Override public int inputWidth() { return width; }
    @Override public int inputChannels() { return channels; }
    @Override public String modelName() { return model.name().isEmpty() ? "model" : model.name(); }
    @Override public String modelSha256() { return model.sha256(); }

    @Override
    public Result classify(byte[] pixels, int offset) {
        awaitWarmUp();
        return view.of(classifier.classify(pixels, offset));
    }

    /** Most warm-up inferences: enough for C2 to compile the kernels of the bundled models. */
    public static final int WARM_UP_RUNS = 200;
    /** Longest warm-up, so that a large model on a slow board still starts promptly. */
    public static final long WARM_UP_MILLIS = 1500;

    /** The warm-up thread while it may still run, else null. */
    private volatile Thread warmUp;
    private volatile boolean stopWarmUp;

    /**
     * Starts running the model on a mid-gray input, on a daemon thread, until the JIT has compiled its
     * kernels ({@link #WARM_UP_RUNS} inferences, at most {@link #WARM_UP_MILLIS}): the first inferences
     * run in the bytecode interpreter (Vector API code above all) and take hundreds of milliseconds.
     * Meant to overlap with the rest of the start (broker, camera); the first {@link #classify} waits
     * for it to end. Reports "N inferences in T ms" to {@code done}.
     */
    public void startWarmUp(java.util.function.Consumer<String> done) {
        byte[] gray = new byte[height * width * channels];
        java.util.Arrays.fill(gray, (byte) 128);
        Thread t = new Thread(() -> {
            long start = System.nanoTime();
            long end = start + WARM_UP_MILLIS * 1_000_000;
            int runs = 0;
            while (runs < WARM_UP_RUNS && System.nanoTime() < end && !stopWarmUp) {
                classifier.classify(gray, 0);
                runs++;
            }
            done.accept(String.format(java.util.Locale.ROOT, "model warmed up: %d inferences in %.0f ms", runs,
                    (System.nanoTime() - start) / 1e6));
        }, "edgeq-warm-up");
        t.setDaemon(true);
        warmUp = t;
        t.start();
    }

    /** Waits for the warm-up, if one runs: the interpreter serves one thread at a time. */
    private void awaitWarmUp() {
        Thread t = warmUp;
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the model warmed up", e);
            }
            warmUp = null;
        }
    }

    /**
     * One trial inference on a mid-gray input; returns the first output that is not a finite number (NaN or
     * infinite) as its index, or -1 when all are finite. For validating a model before it replaces another.
     */
    public int trialNonFiniteOutput() {
        awaitWarmUp();
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
        stopWarmUp = true;
        try {
            awaitWarmUp();
        } finally {
            interpreter.close();
        }
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
