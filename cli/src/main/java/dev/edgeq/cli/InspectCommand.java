package dev.edgeq.cli;

import dev.edgeq.converter.inspect.InspectReport;
import dev.edgeq.converter.inspect.ModelInspector;
import dev.edgeq.converter.inspect.ReportFormatter;
import java.nio.file.Path;
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

    @Override
    public Integer call() throws Exception {
        ModelFiles.checkExists(model, "an .onnx or .eqm model file");
        InspectReport r = ModelInspector.inspect(model);
        System.out.print(json ? ReportFormatter.json(r) + System.lineSeparator() : ReportFormatter.text(r));
        return 0;
    }
}
