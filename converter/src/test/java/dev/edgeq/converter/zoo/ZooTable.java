package dev.edgeq.converter.zoo;

import dev.edgeq.converter.quantize.QuantizeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the model-zoo table (markdown) for a folder tools/zoo/zoo.py wrote: per family the ONNX
 * ops, MACs, edgeq float vs ONNX Runtime, edgeq int8 and PyTorch FX int8 logit SQNR, and
 * conversion times. Run by tools/zoo/run.
 *
 * <pre>ZooTable DIR [FAMILY,...]</pre>
 */
public final class ZooTable {
    static final String HEADER = "| family | input | ONNX ops | MMACs | float max rel. diff vs ORT | edgeq int8 SQNR dB"
            + " | PyTorch FX int8 SQNR dB | float convert CPU s | int8 convert CPU s | notes |\n"
            + "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |";

    private ZooTable() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: ZooTable DIR [FAMILY,...]");
            System.exit(2);
        }
        ModelZoo zoo = ModelZoo.read(Path.of(args[0]));
        List<String> only = args.length > 1 ? List.of(args[1].split(",")) : List.of();
        List<String> rows = new ArrayList<>();
        for (ZooFamily f : zoo.families()) {
            if (only.isEmpty() || only.contains(f.name())) {
                String row = row(ZooCheck.check(f, QuantizeOptions.defaults()));
                System.err.println(row); // progress: a 224-px family takes minutes
                rows.add(row);
            }
        }
        System.out.println("Images: " + zoo.images() + "; PyTorch FX qconfig: " + zoo.fxQconfig() + "\n");
        System.out.println(HEADER);
        rows.forEach(System.out::println);
    }

    /** One markdown row. */
    static String row(ZooResult r) {
        ZooFamily f = r.family();
        String notes;
        if (!r.convertsFloat()) {
            notes = "float fails: unsupported " + String.join(", ", r.unsupportedOps());
        } else if (r.int8Error() != null) {
            notes = "int8 fails: " + r.int8Error().lines().findFirst().orElse("");
        } else {
            notes = String.format(Locale.ROOT, "float vs PyTorch: edgeq %.1f dB, ORT %.1f dB", r.floatSqnrDb(),
                    r.ortSqnrDb());
        }
        if (f.fxError() != null) {
            notes += "; FX fails: " + f.fxError();
        }
        if (!f.architecture().equals("stock")) {
            notes += "; " + f.architecture();
        }
        return String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %.1f | %s | %s |", f.name(), f.size(),
                String.join(" ", f.onnxOps()), r.convertsFloat() ? String.format(Locale.ROOT, "%.1f", r.macs() / 1e6) : "-",
                r.convertsFloat() ? String.format(Locale.ROOT, "%.1e", r.floatMaxRelativeDiff()) : "-",
                r.convertsInt8() ? String.format(Locale.ROOT, "%.2f", r.int8SqnrDb()) : "-",
                Double.isNaN(f.fxSqnrDb()) ? "-" : String.format(Locale.ROOT, "%.2f", f.fxSqnrDb()),
                r.floatConvertSeconds(), r.convertsInt8() ? String.format(Locale.ROOT, "%.1f", r.int8ConvertSeconds()) : "-",
                notes);
    }
}
