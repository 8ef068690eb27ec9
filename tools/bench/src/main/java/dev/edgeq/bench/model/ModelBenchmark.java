package dev.edgeq.bench.model;

import dev.edgeq.runtime.Model;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Whole-model latency at batch 1 on {@code threads} threads (intra-op: one inference split over
 * them; default 1): raw 8-bit pixels of a Fashion-MNIST test image in,
 * float scores out, for each bundled model and each engine:
 * <ul>
 *   <li>{@code edgeq-int8}, {@code edgeq-float}: edgeq's Interpreter on the int8 / float .eqm;</li>
 *   <li>{@code ort-float}: ONNX Runtime on the source float ONNX;</li>
 *   <li>{@code ort-int8}: ONNX Runtime on the int8 model exported by edgeq (QDQ).</li>
 * </ul>
 * The models are the bundled Fashion-MNIST ones and, when tools/bench/run was given {@code --zoo},
 * torchvision families at 224x224x3 (the same Fashion-MNIST image, upsampled, replicated to RGB).
 * Run with {@code -prof gc}: gc.alloc.rate.norm is the Java heap allocated per inference. Models
 * come from {@link BenchModels} (prepared by tools/bench/run).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ModelBenchmark {
    @Param({"seedcnn", "lenet5", "mobilenet-tiny", "resnet-tiny"})
    public String model;

    @Param({"edgeq-int8", "edgeq-float", "ort-float", "ort-int8"})
    public String engine;

    @Param({"1"})
    public int threads;

    private InferenceEngine runner;
    private byte[] pixels;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        runner = open(model, engine, threads);
        pixels = BenchModels.testImage(Model.load(BenchModels.int8Eqm(model)), 0);
    }

    static InferenceEngine open(String model, String engine, int threads) throws Exception {
        switch (engine) {
            case "edgeq-int8": return new EdgeqEngine(Model.load(BenchModels.int8Eqm(model)), threads);
            case "edgeq-float": return new EdgeqEngine(Model.load(BenchModels.floatEqm(model)), threads);
            case "ort-float": return OrtEngine.floatModel(BenchModels.sourceOnnx(model), Model.load(BenchModels.floatEqm(model)), threads);
            case "ort-int8": return OrtEngine.int8Model(BenchModels.int8Onnx(model), Model.load(BenchModels.int8Eqm(model)), threads);
            default: throw new IllegalArgumentException("engine '" + engine + "': expected edgeq-int8, edgeq-float, ort-float or ort-int8");
        }
    }

    @Benchmark
    public float[] infer() throws Exception {
        return runner.infer(pixels);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        runner.close();
    }
}
