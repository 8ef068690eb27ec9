import dev.edgeq.cli.Main;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Runs {@code edgeq eval MODEL --dataset SPEC --dump-outputs OUT_DIR/NAME.out --no-progress} for
 * every model in one JVM, through the CLI's own entry point ({@link Main#execute}), each command's
 * stdout going to OUT_DIR/NAME.eval.txt. One JVM instead of one per model because under qemu a
 * JVM's start and the CLI's first run cost about 13 s of CPU, as much as evaluating 1000 images.
 * Exit status: the number of models whose eval failed.
 *
 * <p>{@code java -cp edgeq.jar:CLASSES EvalModels DATASET_SPEC OUT_DIR MODEL.eqm...}
 */
public final class EvalModels {
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: EvalModels DATASET_SPEC OUT_DIR MODEL.eqm...");
            System.exit(2);
        }
        String dataset = args[0];
        Path out = Path.of(args[1]);
        PrintStream stdout = System.out;
        int failed = 0;
        for (int i = 2; i < args.length; i++) {
            String name = Path.of(args[i]).getFileName().toString().replaceFirst("\\.eqm$", "");
            int status;
            try (PrintStream text = new PrintStream(new FileOutputStream(out.resolve(name + ".eval.txt").toFile()), true, "UTF-8")) {
                System.setOut(text);
                status = Main.execute("eval", args[i], "--dataset", dataset, "--no-progress",
                        "--dump-outputs", out.resolve(name + ".out").toString());
            } finally {
                System.setOut(stdout);
            }
            if (status != 0) {
                System.err.println("edgeq eval " + args[i] + " exited " + status);
                failed++;
            }
        }
        System.exit(failed);
    }
}
