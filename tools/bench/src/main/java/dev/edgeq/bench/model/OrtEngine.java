package dev.edgeq.bench.model;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.edgeq.runtime.InputNormalization;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.TensorInfo;
import dev.edgeq.runtime.ops.QuantizeOp;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * ONNX Runtime as a careful Java user runs it at batch 1: one intra-op and one inter-op thread,
 * sequential execution, all graph optimizations (QDQ groups become QLinearConv etc.), the input
 * {@link OnnxTensor} created once over a direct buffer that each call refills, the output pinned to
 * a tensor over another direct buffer (no output tensor allocated per call). Two models:
 * <ul>
 *   <li>{@link #floatModel}: the source float ONNX (input NCHW float, normalized with the model's
 *       mean/std in Java, as the user has to);</li>
 *   <li>{@link #int8Model}: the ONNX that {@code edgeq export} writes from the int8 .eqm (input
 *       int8 NHWC: pixels mapped through the same 256-entry table edgeq uses).</li>
 * </ul>
 */
public final class OrtEngine implements InferenceEngine {
    private final OrtSession session;
    private final OnnxTensor input;
    private final OnnxTensor output;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> pinned;
    private final FloatBuffer floatIn;
    private final ByteBuffer int8In;
    private final FloatBuffer floatOut;
    private final ByteBuffer int8Out;
    private final float[] pixelToFloat;
    private final byte[] pixelToInt8;
    private final float outScale;
    private final int outZeroPoint;
    private final int channels;
    private final int planeSize;
    private final float[] out;

    private OrtEngine(Path onnx, Model eqm, boolean int8, int threads) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = options(threads)) {
            session = env.createSession(onnx.toString(), opts);
        }
        TensorInfo in = eqm.input();
        int h = in.dim(1);
        int w = in.dim(2);
        channels = in.dim(3);
        planeSize = h * w;
        int n = planeSize * channels;
        pixelToFloat = InputNormalization.of(eqm).table();
        String inputName = session.getInputNames().iterator().next();
        String outputName = session.getOutputNames().iterator().next();
        TensorInfo y = eqm.output();
        int classes = y.elementCount();
        out = new float[classes];
        long[] outShape = int8 ? longs(y.shape()) : new long[] {1, classes};
        if (int8) {
            pixelToInt8 = new byte[pixelToFloat.length];
            QuantizeOp.quantize(pixelToFloat.length, pixelToFloat, 0, 1f / in.scale(), in.zeroPoint(), pixelToInt8, 0);
            int8In = ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
            floatIn = null;
            input = OnnxTensor.createTensor(env, int8In, new long[] {1, h, w, channels}, OnnxJavaType.INT8);
            int8Out = ByteBuffer.allocateDirect(classes).order(ByteOrder.nativeOrder());
            floatOut = null;
            output = OnnxTensor.createTensor(env, int8Out, outShape, OnnxJavaType.INT8);
            outScale = y.scale();
            outZeroPoint = y.zeroPoint();
        } else {
            pixelToInt8 = null;
            floatIn = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            int8In = null;
            input = OnnxTensor.createTensor(env, floatIn, new long[] {1, channels, h, w});
            floatOut = ByteBuffer.allocateDirect(classes * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            int8Out = null;
            output = OnnxTensor.createTensor(env, floatOut, outShape);
            outScale = 1f;
            outZeroPoint = 0;
        }
        inputs = Map.of(inputName, input);
        pinned = Map.of(outputName, output);
    }

    /** The source float ONNX model; {@code eqm} (either edgeq model of it) supplies shapes and mean/std. */
    public static OrtEngine floatModel(Path onnx, Model eqm) throws OrtException {
        return floatModel(onnx, eqm, 1);
    }

    /** {@link #floatModel(Path, Model)} with {@code threads} intra-op threads. */
    public static OrtEngine floatModel(Path onnx, Model eqm, int threads) throws OrtException {
        return new OrtEngine(onnx, eqm, false, threads);
    }

    /** The ONNX exported from the int8 .eqm {@code eqm}. */
    public static OrtEngine int8Model(Path exportedOnnx, Model eqm) throws OrtException {
        return int8Model(exportedOnnx, eqm, 1);
    }

    /** {@link #int8Model(Path, Model)} with {@code threads} intra-op threads. */
    public static OrtEngine int8Model(Path exportedOnnx, Model eqm, int threads) throws OrtException {
        return new OrtEngine(exportedOnnx, eqm, true, threads);
    }

    /**
     * Sequential execution, all graph optimizations, {@code threads} intra-op threads (ONNX Runtime's
     * own default is one per physical core, which on a 2-core machine is the 2-thread setting).
     */
    static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        opts.setIntraOpNumThreads(threads);
        opts.setInterOpNumThreads(1);
        opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return opts;
    }

    @Override
    public float[] infer(byte[] pixels) throws OrtException {
        if (int8In != null) {
            for (int i = 0, c = 0; i < planeSize * channels; i++) {
                int8In.put(i, pixelToInt8[(c << 8) | (pixels[i] & 0xFF)]);
                if (++c == channels) {
                    c = 0;
                }
            }
        } else {
            // NHWC pixels -> NCHW normalized floats
            for (int p = 0; p < planeSize; p++) {
                for (int c = 0; c < channels; c++) {
                    floatIn.put(c * planeSize + p, pixelToFloat[(c << 8) | (pixels[p * channels + c] & 0xFF)]);
                }
            }
        }
        try (OrtSession.Result r = session.run(inputs, pinned)) {
            if (int8Out != null) {
                for (int i = 0; i < out.length; i++) {
                    out[i] = outScale * (int8Out.get(i) - outZeroPoint);
                }
            } else {
                for (int i = 0; i < out.length; i++) {
                    out[i] = floatOut.get(i);
                }
            }
        }
        return out;
    }

    private static long[] longs(int[] shape) {
        long[] d = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            d[i] = shape[i];
        }
        return d;
    }

    @Override
    public void close() throws OrtException {
        input.close();
        output.close();
        session.close();
    }
}
