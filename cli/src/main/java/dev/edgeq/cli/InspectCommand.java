package dev.edgeq.cli;

import dev.edgeq.converter.inspect.InspectReport;
import dev.edgeq.converter.inspect.ModelInspector;
import dev.edgeq.converter.inspect.ReportFormatter;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgeq inspect MODEL [--json]}: per-layer shapes, parameters, MACs, connections, receptive fields. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Describe an ONNX or .eqm model: per layer name, op, output HxWxC, parameters, MACs, "
                + "connections, receptive field; totals and memory.")
public final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "An .onnx file (imported first) or an .eqm file.")
    Path model;

    @Option(names = "--json", description = "Print one JSON document with the same fields.")
    boolean json;

    @Option(names = "--kernels", paramLabel = "FAMILY", defaultValue = "auto",
            description = "int8 kernel family the arena is planned for (their scratch differs): auto, scalar, vector,"
                    + " reference; default ${DEFAULT-VALUE}.")
    String kernels;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Threads per run the arena is planned for (each thread's partition has its own scratch);"
                    + " default ${DEFAULT-VALUE}.")
    int threads;

    @Override
    public Integer call() throws Exception {
        ModelFiles.checkExists(model, "an .onnx or .eqm model file");
        Int8Kernels.Implementation family;
        try {
            family = Int8Kernels.Implementation.valueOf(kernels.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Main.UsageError("--kernels " + kernels + " is not one of auto, scalar, vector, reference");
        }
        Interpreter.Options options;
        try {
            options = Interpreter.Options.builder().kernels(family).threads(threads).build();
        } catch (IllegalArgumentException e) {
            throw new Main.UsageError(e.getMessage());
        }
        InspectReport r = ModelInspector.inspect(model, options);
        System.out.print(json ? ReportFormatter.json(r) + System.lineSeparator() : ReportFormatter.text(r));
        return 0;
    }
}
