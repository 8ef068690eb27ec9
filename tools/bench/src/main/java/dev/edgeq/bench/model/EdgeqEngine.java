package dev.edgeq.bench.model;

import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import java.nio.file.Path;

/**
 * edgeq's own path (float or int8 .eqm): {@link Interpreter#setInputPixels} (a table lookup per
 * pixel), {@link Interpreter#run}, {@link Interpreter#outputFloat} (dequantized scores).
 */
public final class EdgeqEngine implements InferenceEngine {
    private final Interpreter interpreter;
    private final float[] out;

    public EdgeqEngine(Path eqm) throws Exception {
        this(Model.load(eqm));
    }

    public EdgeqEngine(Model model) throws Exception {
        this(model, 1);
    }

    /** One inference split over {@code threads} threads ({@link Interpreter.Options.Builder#threads}). */
    public EdgeqEngine(Model model, int threads) throws Exception {
        interpreter = Interpreter.create(model, Interpreter.Options.builder().threads(threads).build());
        out = new float[interpreter.outputSize()];
    }

    @Override
    public float[] infer(byte[] pixels) {
        interpreter.setInputPixels(pixels, 0);
        interpreter.run();
        interpreter.outputFloat(out);
        return out;
    }

    public Interpreter interpreter() {
        return interpreter;
    }

    @Override
    public void close() {
        interpreter.close();
    }
}
