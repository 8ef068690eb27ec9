package dev.edgeq.bench.model;

import com.google.protobuf.ByteString;
import dev.edgeq.converter.ConvertOptions;
import dev.edgeq.converter.OnnxConverter;
import dev.edgeq.converter.dataset.DatasetSpec;
import dev.edgeq.converter.quantize.QuantizationResult;
import dev.edgeq.converter.quantize.QuantizeOptions;
import dev.edgeq.converter.quantize.Quantizer;
import dev.edgeq.format.ModelFile;
import dev.edgeq.onnx.AttributeProto;
import dev.edgeq.onnx.GraphProto;
import dev.edgeq.onnx.ModelProto;
import dev.edgeq.onnx.NodeProto;
import dev.edgeq.onnx.OperatorSetIdProto;
import dev.edgeq.onnx.TensorProto;
import dev.edgeq.onnx.TensorShapeProto;
import dev.edgeq.onnx.TypeProto;
import dev.edgeq.onnx.ValueInfoProto;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Scale check without JMH: an AlexNet-shaped CNN (227x227x3; conv 96 11x11/4 + ReLU + LRN + max
 * pool 3/2, conv 256 5x5 + ReLU + LRN + pool, conv 384, 384, 256 3x3 + ReLU, pool, dense 4096, 4096,
 * 1000; groups of 1, so about 62 M parameters; random weights, fixed seed) is written as ONNX,
 * converted to a float .eqm, quantized to int8 (calibration on a few Fashion-MNIST images
 * upscaled to 227x227 RGB: the point is the machinery at scale, not accuracy), and both run.
 * Reports conversion and quantization time, peak Java heap per phase (heap pools' peak usage,
 * reset before each phase), model file sizes, and latency (median of a few runs).
 *
 * <p>Usage: {@code AlexNetScale OUT_DIR [MARKDOWN_FILE] [CALIBRATION_IMAGES] [RUNS]}.
 */
public final class AlexNetScale {
    private AlexNetScale() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "tools/bench/target/alexnet");
        Path md = args.length > 1 ? Path.of(args[1]) : null;
        int calibration = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Files.createDirectories(dir);
        StringBuilder out = new StringBuilder();
        out.append("## Scale: an AlexNet-shaped model (227x227x3, random weights)\n\n");
        out.append("Measured by `AlexNetScale` (no JMH) in the same run, JVM `")
                .append(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())).append("`.\n\n");

        resetPeaks();
        long t0 = System.nanoTime();
        ModelProto onnx = alexNet(new Random(2012));
        Path onnxFile = dir.resolve("alexnet.onnx");
        Files.write(onnxFile, onnx.toByteArray());
        long params = onnx.getGraph().getInitializerList().stream().mapToLong(t -> t.getRawData().size() / 4).sum();
        onnx = null;
        double buildS = (System.nanoTime() - t0) / 1e9;
        long buildPeak = peakHeap();

        System.gc();
        resetPeaks();
        t0 = System.nanoTime();
        ModelFile floatFile = OnnxConverter.convertFloat(onnxFile, ConvertOptions.defaults().withModelName("alexnet")
                .withReadSidecar(false));
        Path floatEqm = dir.resolve("alexnet.float.eqm");
        OnnxConverter.write(floatFile, floatEqm);
        double convertS = (System.nanoTime() - t0) / 1e9;
        long convertPeak = peakHeap();

        System.gc();
        resetPeaks();
        t0 = System.nanoTime();
        QuantizationResult q = Quantizer.quantize(floatFile, DatasetSpec.open("fashion-mnist:train:" + calibration, 227, 227, 3),
                QuantizeOptions.defaults());
        Path int8Eqm = dir.resolve("alexnet.int8.eqm");
        OnnxConverter.write(q.model(), int8Eqm);
        double quantizeS = (System.nanoTime() - t0) / 1e9;
        long quantizePeak = peakHeap();
        floatFile = null;
        q = null;

        double[] floatLatency = latency(floatEqm, runs);
        double[] int8Latency = latency(int8Eqm, runs);

        out.append(String.format(Locale.ROOT, "- parameters: %,d; ONNX file %,d bytes (written in %.1f s, peak heap %s)%n",
                params, Files.size(onnxFile), buildS, mib(buildPeak)));
        out.append(String.format(Locale.ROOT, "- convert ONNX -> float .eqm: %.1f s, peak heap %s%n", convertS, mib(convertPeak)));
        out.append(String.format(Locale.ROOT, "- quantize float -> int8 (calibration on %d images, %s): %.1f s, peak heap %s%n",
                calibration, QuantizeOptions.defaults().describeMethod(), quantizeS, mib(quantizePeak)));
        out.append("\n| model | file bytes | load + interpreter | peak heap (load + runs) | arena bytes | latency median (min) |\n")
                .append("|---|---:|---:|---:|---:|---:|\n");
        out.append(row("float", floatEqm, floatLatency));
        out.append(row("int8", int8Eqm, int8Latency));
        out.append(String.format(Locale.ROOT, "%nint8 file / float file = %.3f. Latency: median of %d runs after 2 warm-up runs, one thread.%n",
                (double) Files.size(int8Eqm) / Files.size(floatEqm), runs));
        System.out.print(out);
        if (md != null) {
            Files.writeString(md, out.toString());
        }
    }

    private static String row(String name, Path file, double[] l) throws Exception {
        return String.format(Locale.ROOT, "| %s | %,d | %.1f s | %s | %,d | %.0f ms (%.0f ms) |%n", name, Files.size(file),
                l[2], mib((long) l[3]), (long) l[4], l[0], l[1]);
    }

    /** {median ms, min ms, load seconds, peak heap bytes, arena bytes}. */
    private static double[] latency(Path eqm, int runs) throws Exception {
        System.gc();
        resetPeaks();
        long t0 = System.nanoTime();
        Model model = Model.load(eqm);
        try (Interpreter it = Interpreter.create(model)) {
            double loadS = (System.nanoTime() - t0) / 1e9;
            byte[] pixels = new byte[model.input().elementCount()];
            new Random(1).nextBytes(pixels);
            double[] ms = new double[runs];
            for (int i = -2; i < runs; i++) {
                long s = System.nanoTime();
                it.setInputPixels(pixels, 0);
                it.run();
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - s) / 1e6;
                }
            }
            Arrays.sort(ms);
            return new double[] {ms[runs / 2], ms[0], loadS, peakHeap(), it.arenaBytes()};
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peak usage since the last reset (an upper bound on the live peak). */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }

    // ---- the ONNX model ----

    private static int counter;

    static ModelProto alexNet(Random rng) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("alexnet");
        g.addInput(valueInfo("input", 1, 3, 227, 227));
        String x = "input";
        x = conv(g, rng, x, 3, 96, 11, 4, 0);
        x = node(g, "Relu", new String[] {x});
        x = lrn(g, x);
        x = maxPool(g, x);
        x = conv(g, rng, x, 96, 256, 5, 1, 2);
        x = node(g, "Relu", new String[] {x});
        x = lrn(g, x);
        x = maxPool(g, x);
        x = node(g, "Relu", new String[] {conv(g, rng, x, 256, 384, 3, 1, 1)});
        x = node(g, "Relu", new String[] {conv(g, rng, x, 384, 384, 3, 1, 1)});
        x = node(g, "Relu", new String[] {conv(g, rng, x, 384, 256, 3, 1, 1)});
        x = maxPool(g, x);
        x = node(g, "Flatten", new String[] {x}, ints("axis", 1));
        x = node(g, "Relu", new String[] {gemm(g, rng, x, 256 * 6 * 6, 4096)});
        x = node(g, "Relu", new String[] {gemm(g, rng, x, 4096, 4096)});
        x = gemm(g, rng, x, 4096, 1000);
        g.addOutput(ValueInfoProto.newBuilder().setName(x).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("edgeq-bench")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(g).build();
    }

    private static String conv(GraphProto.Builder g, Random rng, String x, int in, int out, int k, int stride, int pad) {
        // He-style scale keeps activations in range through the stack
        String w = init(g, rng, (float) Math.sqrt(2.0 / (in * k * k)), out, in, k, k);
        String b = init(g, rng, 0.01f, out);
        return node(g, "Conv", new String[] {x, w, b}, ints("kernel_shape", k, k), ints("strides", stride, stride),
                ints("pads", pad, pad, pad, pad));
    }

    private static String gemm(GraphProto.Builder g, Random rng, String x, int in, int out) {
        String w = init(g, rng, (float) Math.sqrt(2.0 / in), out, in);
        String b = init(g, rng, 0.01f, out);
        return node(g, "Gemm", new String[] {x, w, b}, ints("transB", 1));
    }

    private static String lrn(GraphProto.Builder g, String x) {
        return node(g, "LRN", new String[] {x}, ints("size", 5), floatAttr("alpha", 1e-4f), floatAttr("beta", 0.75f),
                floatAttr("bias", 1f));
    }

    private static String maxPool(GraphProto.Builder g, String x) {
        return node(g, "MaxPool", new String[] {x}, ints("kernel_shape", 3, 3), ints("strides", 2, 2));
    }

    private static String init(GraphProto.Builder g, Random rng, float scale, int... dims) {
        String name = "w" + (counter++);
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat((float) (rng.nextGaussian() * scale));
        }
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(b.array()));
        for (int d : dims) {
            t.addDims(d);
        }
        g.addInitializer(t);
        return name;
    }

    private static String node(GraphProto.Builder g, String op, String[] inputs, AttributeProto... attrs) {
        String out = op.toLowerCase(Locale.ROOT) + (counter++);
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(out).addOutput(out);
        for (String i : inputs) {
            n.addInput(i);
        }
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        g.addNode(n);
        return out;
    }

    private static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (v.length == 1 && (name.equals("axis") || name.equals("transB") || name.equals("size"))) {
            return a.setType(AttributeProto.AttributeType.INT).setI(v[0]).build();
        }
        a.setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    private static AttributeProto floatAttr(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    private static ValueInfoProto valueInfo(String name, int... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (int d : dims) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
    }
}
