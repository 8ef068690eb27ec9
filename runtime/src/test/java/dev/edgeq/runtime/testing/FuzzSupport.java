package dev.edgeq.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Shared by the Jazzer fuzz tests: their seeds ({@code <TestClass>Inputs/<method>} resources), warm-up, scratch files. */
public final class FuzzSupport {
    private FuzzSupport() {}

    /**
     * Runs the target once on every seed before fuzzing starts. Loading (and, when fuzzing, instrumenting)
     * the classes a seed reaches takes longer than the one-second budget of an input on a busy machine;
     * that cost is not the input's, so it is paid here, outside the per-input timeout.
     */
    public static void warmUp(Class<?> fuzzTest, String method, Consumer<byte[]> target) {
        for (Path seed : files(fuzzTest, method)) {
            try {
                target.accept(Files.readAllBytes(seed));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A file the target writes each input to, for parsers that read files; deleted when the JVM exits. */
    public static Path scratchFile(String suffix) {
        try {
            Path f = Files.createTempFile("edgeq-fuzz", suffix);
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Path> files(Class<?> fuzzTest, String method) {
        URL url = fuzzTest.getResource(fuzzTest.getSimpleName() + "Inputs/" + method);
        if (url == null) {
            throw new IllegalStateException("no seed folder " + fuzzTest.getSimpleName() + "Inputs/" + method);
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.filter(p -> !p.getFileName().toString().equals("README.md")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
