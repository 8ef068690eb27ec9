package dev.edgeq.bench.model;

import dev.edgeq.device.loop.ClassificationJson;
import dev.edgeq.device.loop.RuntimeFrameClassifier;
import dev.edgeq.imaging.AreaResampler;
import dev.edgeq.imaging.Frame;
import dev.edgeq.imaging.I420Layout;
import dev.edgeq.runtime.Classifier;
import dev.edgeq.runtime.Interpreter;
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
 * The device's loop for one camera frame, end to end on one thread: a 640x480 I420 frame (as
 * rpicam-vid writes it; gray models read its Y plane, RGB models its YUV -> RGB conversion) -> center crop to the model's aspect ratio
 * and area downscale to the model input ({@link AreaResampler}, what the device runs) -> int8 inference and top-3 with softmax
 * ({@link Classifier}) -> the device's classification message bytes ({@link ClassificationJson}, whose
 * payload array is the one allocation per published frame). Reported in frames/s (throughput mode);
 * {@code -prof gc} gives the bytes allocated per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DeviceLoopBenchmark {
    static final int FRAME_WIDTH = 640;
    static final int FRAME_HEIGHT = 480;

    @Param({"seedcnn", "lenet5", "mobilenet-tiny", "resnet-tiny"})
    public String model;

    private Frame frame;
    private byte[] small;
    private AreaResampler resampler;
    private Interpreter interpreter;
    private Classifier classifier;
    private ClassificationJson json;
    private final RuntimeFrameClassifier.ResultView view = new RuntimeFrameClassifier.ResultView();
    private long seq;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Model m = Model.load(BenchModels.int8Eqm(model));
        int h = m.input().dim(1);
        int w = m.input().dim(2);
        int c = m.input().dim(3);
        frame = new Frame();
        // The gray test image in the Y plane (an RGB model reads it through the device's YUV -> RGB step).
        byte[] i420 = syntheticI420(BenchModels.testImage(m, 0), h, w, c);
        System.arraycopy(i420, 0, frame.ensureCapacity(i420.length), 0, i420.length);
        frame.setI420(new I420Layout(FRAME_WIDTH, FRAME_HEIGHT, FRAME_WIDTH));
        small = new byte[h * w * c];
        resampler = new AreaResampler(h, w, c);
        interpreter = Interpreter.create(m);
        classifier = new Classifier(interpreter, 3);
        json = new ClassificationJson(m.name(), m.sha256(), "bench");
    }

    /** A 640x480 I420 frame whose Y plane shows the test image scaled up (nearest) in its central square. */
    static byte[] syntheticI420(byte[] image, int h, int w, int channels) {
        byte[] f = new byte[FRAME_WIDTH * FRAME_HEIGHT * 3 / 2];
        java.util.Arrays.fill(f, (byte) 16);
        int side = FRAME_HEIGHT;
        int x0 = (FRAME_WIDTH - side) / 2;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                f[y * FRAME_WIDTH + x0 + x] = image[((y * h / side) * w + x * w / side) * channels];
            }
        }
        java.util.Arrays.fill(f, FRAME_WIDTH * FRAME_HEIGHT, f.length, (byte) 128);
        return f;
    }

    @Benchmark
    public byte[] frame() {
        resampler.process(frame, small, 0);
        return json.classification(++seq, System.currentTimeMillis(), view.of(classifier.classify(small, 0)), 0, "frame")
                .toBytes();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        interpreter.close();
    }
}
