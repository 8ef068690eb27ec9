package dev.edgeq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.converter.dataset.DatasetSpec;
import dev.edgeq.converter.dataset.LabeledImages;
import dev.edgeq.runtime.Model;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desktop path end to end, as a user runs it: a short PyTorch training (Debian's
 * python3-torch, CPU) -> ONNX + JSON -> {@code edgeq convert} (int8, reading the JSON without
 * warnings) -> accuracy on the Fashion-MNIST test set; and the same through a folder dataset.
 */
class TrainingPipelineTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void shortFashionMnistTrainingConvertsToInt8AndBeats80Percent() throws Exception {
        Path prefix = tmp.resolve("ci-seedcnn");
        train("--dataset", "fashion-mnist", "--arch", "seedcnn", "--epochs", "2", "--limit", "12000", "--batch-size", "32",
                "--device", "cpu", "--seed", "1", "--no-progress", "--out", prefix.toString());
        Path onnx = Path.of(prefix + ".onnx");
        assertTrue(Files.isRegularFile(onnx) && Files.isRegularFile(Path.of(prefix + ".json")));

        Path eqm = tmp.resolve("ci-seedcnn.eqm");
        Captured c = cli("convert", onnx.toString(), "-o", eqm.toString(), "--calibration", "fashion-mnist:train:500");
        assertEquals(0, c.code, c.err);
        assertFalse(c.err.toLowerCase(Locale.ROOT).contains("warn"), "convert printed a warning: " + c.err);

        Model model = Model.load(eqm);
        assertTrue(model.isQuantized());
        assertEquals(DatasetSpec.FASHION_MNIST_LABELS, model.labels(), "labels come from the JSON");
        LabeledImages test = DatasetSpec.open("fashion-mnist:test", 28, 28, 1);
        EvalCommand.EvalResult r = EvalCommand.evaluate(model, test, false, null);
        System.out.printf("short training: int8 top-1 %.2f%% on %d test images%n", 100 * r.top1Accuracy(), r.total);
        assertEquals(10000, r.total);
        assertTrue(r.top1Accuracy() > 0.80, "int8 top-1 " + r.top1Accuracy());
    }

    @Test
    void folderDatasetTrainsConvertsAndClassifies() throws Exception {
        Path data = tmp.resolve("shapes");
        Random random = new Random(3);
        // Two easily separable classes (light shape on dark ground vs dark shape on light ground), so
        // that a few epochs on 48 images must give a working classifier if the pipeline is sound.
        for (int i = 0; i < 24; i++) {
            writeShape(data.resolve("day/d" + i + ".png"), false, random);
            writeShape(data.resolve("night/n" + i + ".png"), true, random);
        }
        Path prefix = tmp.resolve("shapes-model");
        train("--dataset", "folder:" + data, "--arch", "lenet5", "--epochs", "8", "--batch-size", "8", "--size", "28", "--color", "gray",
                "--device", "cpu", "--seed", "2", "--no-progress", "--out", prefix.toString());
        Path eqm = tmp.resolve("shapes.eqm");
        Captured c = cli("convert", prefix + ".onnx", "-o", eqm.toString(), "--calibration", "folder:" + data);
        assertEquals(0, c.code, c.err);
        Model model = Model.load(eqm);
        assertEquals(List.of("day", "night"), model.labels());
        EvalCommand.EvalResult r = EvalCommand.evaluate(model, DatasetSpec.open("folder:" + data, 28, 28, 1), false, null);
        assertEquals(48, r.total);
        System.out.printf("folder dataset: int8 top-1 %.2f%% on %d images%n", 100 * r.top1Accuracy(), r.total);
        assertTrue(r.top1Accuracy() >= 0.9, "the pipeline produced a working classifier: " + r.top1Accuracy());
    }

    private static void writeShape(Path file, boolean dark, Random random) throws Exception {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        Color low = new Color(random.nextInt(60), random.nextInt(60), random.nextInt(60));
        Color high = new Color(190 + random.nextInt(65), 190 + random.nextInt(65), 190 + random.nextInt(65));
        g.setColor(dark ? low : high);
        g.fillRect(0, 0, 40, 40);
        g.setColor(dark ? high : low);
        boolean circle = random.nextBoolean();
        int size = 14 + random.nextInt(10);
        int x = random.nextInt(40 - size);
        int y = random.nextInt(40 - size);
        if (circle) {
            g.fillOval(x, y, size, size);
        } else {
            g.fillRect(x, y, size, size);
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static void train(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("tools/train/train").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "training finished");
        assertEquals(0, p.exitValue(), "training failed (needs Debian's python3-torch):\n" + out);
    }

    private record Captured(int code, String out, String err) {}

    private static Captured cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Captured(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
