package dev.edgeq.runtime.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.edgeq.runtime.Classification;
import dev.edgeq.runtime.Classifier;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ModelFormatException;
import dev.edgeq.runtime.testing.FuzzSupport;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target: a .eqm file from anywhere (another machine, a model update) goes through
 * {@link Model#fromBytes}, {@link Interpreter#create} and one classification of a frame ({@link
 * Classifier}, as the device runs it). The property:
 * the only exception that escapes is {@link ModelFormatException}; no other exception, no
 * OutOfMemoryError in the 64 MiB heap the fuzz executions run in, no input taking over a second.
 *
 * <p>Seeds: {@code src/test/resources/dev/edgeq/runtime/fuzz/ModelFileFuzzTestInputs} (provenance in
 * its README). {@code tools/fuzz} runs {@link #fuzzerTestOneInput} for longer.
 */
class ModelFileFuzzTest {
    @BeforeAll
    static void loadClassesOnce() {
        FuzzSupport.warmUp(ModelFileFuzzTest.class, "loadCreateRun", ModelFileFuzzTest::fuzzerTestOneInput);
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    void loadCreateRun(byte[] bytes) {
        fuzzerTestOneInput(bytes);
    }

    /** The target (also the entry point of Jazzer's command line, used by {@code tools/fuzz}). */
    public static void fuzzerTestOneInput(byte[] bytes) {
        Model model;
        try {
            model = Model.fromBytes(bytes);
        } catch (ModelFormatException refused) {
            return;
        }
        try (Interpreter interpreter = Interpreter.create(model)) {
            // What the device does with a frame: raw pixels in, top-k labels out.
            Classification top = new Classifier(interpreter, 3).classify(new byte[model.input().elementCount()], 0);
            for (int i = 0; i < top.count(); i++) {
                top.label(i);
            }
        } catch (ModelFormatException refused) {
            // a model that loads may still be refused by the interpreter (its arena exceeds the limit)
        }
    }
}
