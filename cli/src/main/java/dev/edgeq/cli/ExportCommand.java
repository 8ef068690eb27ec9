package dev.edgeq.cli;

import dev.edgeq.converter.export.OnnxExporter;
import dev.edgeq.onnx.ModelProto;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code edgeq export}: writes an edgeq model as ONNX so that another runtime (ONNX Runtime) can run
 * it, to cross-check results or compare speed. int8 models become QDQ ONNX (int8 weights with their
 * per-channel scales); the graph input keeps edgeq's NHWC shape and type. See {@link OnnxExporter}.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write an edgeq model as ONNX (int8 models in QDQ form) for ONNX Runtime.")
public final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.eqm", description = "The model file.")
    Path modelPath;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "onnx", description = "Output format: onnx (the only one).")
    String format;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.onnx", description = "Where to write the model.")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (!"onnx".equals(format)) {
            throw new Main.UsageError("--format " + format + ": only onnx is supported");
        }
        Model model = ModelFiles.load(modelPath);
        ModelProto onnx = OnnxExporter.exportToFile(model, output);
        TensorInfo in = model.input();
        TensorInfo out = model.output();
        System.out.printf("wrote %s: %d bytes, %d ONNX nodes, opset %d; input 'input' %s %s (NHWC), output 'output' %s %s%n",
                output, Files.size(output), onnx.getGraph().getNodeCount(), OnnxExporter.OPSET,
                in.type(), TensorInfo.shapeString(in.shape()), out.type(), TensorInfo.shapeString(out.shape()));
        if (model.isQuantized()) {
            System.out.printf("input quantization: scale %s, zero point %d (pixels map through the model's mean/std)%n",
                    in.scale(), in.zeroPoint());
        }
        return 0;
    }
}
