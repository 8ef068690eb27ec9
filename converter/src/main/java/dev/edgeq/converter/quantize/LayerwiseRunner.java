package dev.edgeq.converter.quantize;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.dataset.LabeledImages;
import dev.edgeq.format.DataType;
import dev.edgeq.format.Operator;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.TensorInfo;
import java.util.Arrays;

/**
 * Runs a model one operator at a time over a set of images, keeping per image only the activations
 * that a later operator still reads: a caller can stop between any two operators, look at every
 * image's result and even change the model's constants, and the whole sweep still costs one model
 * run per image (plus whatever the caller re-runs). The operators are the runtime's own, through
 * {@link Interpreter#runOperator}; images are spread over {@link Workers}.
 *
 * <p>Every image keeps the same tensors alive, so the runner counts the bytes one image holds
 * ({@link #bytesPerImage}, {@link #peakBytesPerImage}); over zero images it runs nothing and only
 * counts, which is how a caller learns, before the real sweep, how much memory each image will take.
 */
final class LayerwiseRunner {
    private final Workers workers;
    private final int images;
    /** Per image, per tensor: its raw values (byte[] or float[]) while some later operator reads them. */
    private final Object[][] live;
    /** Per tensor: the last operator that reads it (the model output: never released). */
    private final int[] lastUse;
    /** Per tensor: whether its values are held (for every image). */
    private final boolean[] held;
    private Model model;
    private Interpreter[] interpreters;
    private int next;
    private long bytesPerImage;
    private long peakBytesPerImage;

    LayerwiseRunner(Model model, LabeledImages source, int images, Workers workers) throws ConversionException {
        this.workers = workers;
        this.images = images;
        this.live = new Object[images][model.tensors().size()];
        this.lastUse = lastUses(model);
        this.held = new boolean[model.tensors().size()];
        use(model);
        int input = model.input().index();
        hold(model.tensor(input));
        int pixels = source.height() * source.width() * source.channels();
        workers.forEachImage(images, (w, image) -> {
            byte[] px = new byte[pixels];
            source.pixels(image, px, 0);
            interpreters[w].setInputPixels(px, 0);
            live[image][input] = newValues(model.tensor(input));
            interpreters[w].readTensorRaw(input, live[image][input]);
        });
    }

    private static int[] lastUses(Model model) {
        int[] last = new int[model.tensors().size()];
        Arrays.fill(last, -1);
        for (int i = 0; i < model.operatorCount(); i++) {
            for (int t : model.operator(i).getInputsList()) {
                if (t >= 0) {
                    last[t] = i;
                }
            }
        }
        last[model.output().index()] = Integer.MAX_VALUE;
        return last;
    }

    private void use(Model m) throws ConversionException {
        model = m;
        interpreters = new Interpreter[images == 0 ? 0 : workers.count()];
        try {
            for (int w = 0; w < interpreters.length; w++) {
                interpreters[w] = Interpreter.create(m);
            }
        } catch (ModelFormatException e) {
            throw new ConversionException("bias correction: model '" + m.name() + "' does not load: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Runs the rest of the sweep on {@code replacement}: the same graph where operator {@code op}'s
     * constants differ (a corrected bias). Only that operator is prepared again
     * ({@link Interpreter#prepareAgain}: a whole interpreter per correction made bias correction
     * quadratic in depth); the activations computed so far are kept.
     */
    void replace(int op, Model replacement) throws ConversionException {
        try {
            for (Interpreter it : interpreters) {
                it.prepareAgain(op, replacement);
            }
        } catch (ModelFormatException | IllegalArgumentException e) {
            throw new ConversionException("bias correction: operator " + op + " of model '" + replacement.name()
                    + "' does not prepare: " + e.getMessage(), e);
        }
        model = replacement;
    }

    /** Operator {@code op} on every image; it may be run again (after {@link #replace}) before {@link #release}. */
    void run(int op) throws ConversionException {
        Operator o = model.operator(op);
        for (int t : o.getOutputsList()) {
            hold(model.tensor(t));
        }
        workers.forEachImage(images, (w, image) -> {
            Interpreter it = interpreters[w];
            Object[] values = live[image];
            for (int t : o.getInputsList()) {
                if (t >= 0 && !model.tensor(t).isConstant()) {
                    it.writeTensorRaw(t, values[t]);
                }
            }
            it.runOperator(op);
            for (int t : o.getOutputsList()) {
                if (values[t] == null) {
                    values[t] = newValues(model.tensor(t));
                }
                it.readTensorRaw(t, values[t]);
            }
        });
    }

    private void hold(TensorInfo t) {
        if (!held[t.index()]) {
            held[t.index()] = true;
            bytesPerImage += bytes(t);
            peakBytesPerImage = Math.max(peakBytesPerImage, bytesPerImage);
        }
    }

    /** Forgets the activations whose last reader is {@code op}. */
    void release(int op) {
        for (int t = 0; t < lastUse.length; t++) {
            if (lastUse[t] == op && held[t]) {
                held[t] = false;
                bytesPerImage -= bytes(model.tensor(t));
                for (Object[] values : live) {
                    values[t] = null;
                }
            }
        }
    }

    /** Runs and releases every operator up to and including {@code op} that has not run yet. */
    void runThrough(int op) throws ConversionException {
        for (; next <= op; next++) {
            run(next);
            release(next);
        }
    }

    /** Bytes of activations each image holds now. */
    long bytesPerImage() {
        return bytesPerImage;
    }

    /** The most {@link #bytesPerImage} has been since the last {@link #resetPeak}. */
    long peakBytesPerImage() {
        return peakBytesPerImage;
    }

    void resetPeak() {
        peakBytesPerImage = bytesPerImage;
    }

    /** The bytes image {@code image} really holds (what {@link #bytesPerImage} counts; for tests). */
    long bytesHeldBy(int image) {
        long b = 0;
        for (Object v : live[image]) {
            b += v instanceof byte[] x ? x.length : v instanceof float[] f ? 4L * f.length : 0;
        }
        return b;
    }

    /** Image {@code image}'s INT8 tensor (raw int8 values, not to be modified). */
    byte[] int8(int image, int tensor) {
        return (byte[]) live[image][tensor];
    }

    /** Image {@code image}'s FLOAT32 tensor (not to be modified). */
    float[] floats(int image, int tensor) {
        return (float[]) live[image][tensor];
    }

    private static long bytes(TensorInfo t) {
        return (t.type() == DataType.INT8 ? 1L : 4L) * t.elementCount();
    }

    private static Object newValues(TensorInfo t) {
        return t.type() == DataType.INT8 ? new byte[t.elementCount()] : new float[t.elementCount()];
    }
}
