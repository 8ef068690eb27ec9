package dev.edgeq.cli;

import dev.edgeq.device.testing.CliRun;
import dev.edgeq.device.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One exit-code convention (1 runtime failure, 2 usage error) and one clear line for a wrong model argument. */
class ExitCodeTest {
    @TempDir Path tmp;

    /** Every subcommand that runs an .eqm model, with MODEL where the model goes. */
    private List<List<String>> commands() throws Exception {
        Path image = TestImages.writePng(TestImages.gray(12, 12, 1), tmp.resolve("i.png"));
        Path images = TestImages.imageDir(tmp.resolve("images"), 1);
        return List.of(
                List.of("classify", "MODEL", image.toString()),
                List.of("eval", "MODEL", "--dataset", "folder:" + tmp.resolve("images")),
                List.of("bench", "MODEL", "--seconds", "0.1", "--warmup", "0"),
                List.of("export", "MODEL", "-o", tmp.resolve("x.onnx").toString()),
                List.of("run", "--model", "MODEL", "--source", "dir:" + images, "--once", "--outbox-dir", tmp.resolve("ob").toString()));
    }

    private static CliRun.Result with(List<String> cmd, Path model) {
        return CliRun.edgeq(cmd.stream().map(a -> a.equals("MODEL") ? model.toString() : a).toArray(String[]::new));
    }

    private static void usage(CliRun.Result r, String expected) {
        r.assertUsageError(expected);
    }

    @Test
    void aMissingModelIsAUsageErrorSayingWhatWasExpected() throws Exception {
        Path missing = tmp.resolve("nonexistent.eqm");
        for (List<String> cmd : commands()) {
            usage(with(cmd, missing), "model file not found: " + missing + "; expected an edgeq .eqm model file");
        }
        usage(CliRun.edgeq("inspect", missing.toString()), "model file not found: " + missing + "; expected an .onnx or .eqm model file");
    }

    @Test
    void aFolderGivenAsTheModelIsAUsageError() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("models"));
        for (List<String> cmd : commands()) usage(with(cmd, folder), folder + " is a folder; expected an edgeq .eqm model file");
        usage(CliRun.edgeq("inspect", folder.toString()), folder + " is a folder");
    }

    @Test
    void anOnnxModelWhereAnEqmIsExpectedSuggestsConvert() throws Exception {
        Path onnx = Files.write(tmp.resolve("net.onnx"), new byte[] {8, 7});
        for (List<String> cmd : commands()) usage(with(cmd, onnx), "is an ONNX model; this command runs edgeq .eqm models: convert it first with edgeq convert " + onnx + " -o net.eqm");
    }

    @Test
    void aDamagedModelIsARuntimeFailure() throws Exception {
        Path damaged = Files.write(tmp.resolve("damaged.eqm"), new byte[] {1, 2, 3, 4, 5});
        for (List<String> cmd : commands()) {
            CliRun.Result r = with(cmd, damaged);
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.err().contains(damaged.toString()), r.toString());
        }
    }
}
