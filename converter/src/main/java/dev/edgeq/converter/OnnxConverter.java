package dev.edgeq.converter;

import dev.edgeq.converter.emit.EqmWriter;
import dev.edgeq.converter.emit.ModelEmitter;
import dev.edgeq.converter.ir.Graph;
import dev.edgeq.converter.ir.Value;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxModelReader;
import dev.edgeq.converter.passes.Passes;
import dev.edgeq.format.ColorMode;
import dev.edgeq.format.InputSpec;
import dev.edgeq.format.Layout;
import dev.edgeq.format.Metadata;
import dev.edgeq.format.ModelFile;
import dev.edgeq.onnx.ModelProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The converter's entry point: ONNX file -> import (graph IR, NHWC) -> float passes -> .eqm.
 *
 * <pre>
 *   ModelFile m = OnnxConverter.convertFloat(Path.of("model.onnx"), ConvertOptions.defaults());
 *   OnnxConverter.write(m, Path.of("model.eqm"));
 * </pre>
 */
public final class OnnxConverter {
    private OnnxConverter() {
    }

    /** Reads, imports and converts an ONNX file (and its NAME.json, when present) to a float model. */
    public static ModelFile convertFloat(Path onnx, ConvertOptions options) throws ConversionException {
        Imported imported = importFile(onnx);
        SidecarMetadata sidecar = null;
        Path json = options.sidecarJson() != null ? options.sidecarJson()
                : options.readSidecar() ? SidecarMetadata.besides(onnx) : null;
        if (json != null && (options.sidecarJson() != null || Files.isRegularFile(json))) {
            sidecar = SidecarMetadata.read(json);
        }
        String file = onnx.getFileName().toString();
        String stem = file.endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
        return emitFloat(imported.graph(), onnx.toString(), stem, imported.sha256(), sidecar, options);
    }

    private record Imported(Graph graph, String sha256) {}

    /**
     * The file's graph and hash. Its bytes and their ONNX form are no longer reachable once this
     * returns, so a large model is not held a second time while the passes and the emitter copy it.
     */
    private static Imported importFile(Path onnx) throws ConversionException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(onnx);
        } catch (IOException e) {
            throw new ConversionException("cannot read ONNX file " + onnx + ": " + e, e);
        }
        ModelProto model = OnnxModelReader.parse(bytes, onnx.toString());
        return new Imported(OnnxImporter.importModel(model, onnx.toString()), sha256(bytes));
    }

    /** Converts an in-memory model (tests, tools); {@code source} names it in messages. */
    public static ModelFile convertFloat(ModelProto model, String source, ConvertOptions options)
            throws ConversionException {
        return emitFloat(OnnxImporter.importModel(model, source), source, source, sha256(model.toByteArray()), null,
                options);
    }

    /** Converts and writes atomically; on any error nothing is written. */
    public static ModelFile convertFloatToFile(Path onnx, Path out, ConvertOptions options)
            throws ConversionException, IOException {
        ModelFile m = convertFloat(onnx, options);
        write(m, out);
        return m;
    }

    public static void write(ModelFile model, Path out) throws IOException {
        EqmWriter.write(model, out);
    }

    /** Import plus the float passes: the graph IR the emitter (and later the quantizer) starts from. */
    public static Graph importAndOptimize(ModelProto model, String source) throws ConversionException {
        return Passes.runFloatPipeline(OnnxImporter.importModel(model, source));
    }

    /** The float passes on an imported graph, then the float model. */
    private static ModelFile emitFloat(Graph imported, String source, String defaultName, String sha,
            SidecarMetadata sidecar, ConvertOptions options) throws ConversionException {
        Graph graph = Passes.runFloatPipeline(imported);
        Metadata metadata = metadata(graph, source, defaultName, sha, sidecar, options);
        return ModelEmitter.emitFloat(graph, metadata);
    }

    static Metadata metadata(Graph graph, String source, String defaultName, String sha,
            SidecarMetadata sidecar, ConvertOptions o) throws ConversionException {
        Value input = graph.inputs().get(0);
        int[] s = input.onnxShape();
        int channels = s[1];
        int height = s.length == 4 ? s[2] : 1;
        int width = s.length == 4 ? s[3] : 1;
        if (sidecar != null) {
            checkSame(source, "height", sidecar.height(), height);
            checkSame(source, "width", sidecar.width(), width);
            checkSame(source, "channels", sidecar.channels(), channels);
        }
        String name = first(o.modelName(), sidecar == null ? null : sidecar.modelName(), defaultName);
        List<String> labels = first(o.labels(), sidecar == null ? null : sidecar.labels(), List.of());
        float[] mean = first(o.mean(), sidecar == null ? null : sidecar.mean(), new float[] {0f});
        float[] std = first(o.std(), sidecar == null ? null : sidecar.std(), new float[] {1f});
        Float pixelScale = first(o.pixelScale(), sidecar == null ? null : sidecar.pixelScale(), 1f / 255f);
        ColorMode color = o.color();
        if (color == null && sidecar != null && sidecar.color() != null) {
            color = parseColor(sidecar.color(), source);
        }
        if (color == null) {
            color = channels == 3 ? ColorMode.RGB : channels == 1 ? ColorMode.GRAY : ColorMode.COLOR_UNSPECIFIED;
        }
        int expectChannels = color == ColorMode.RGB ? 3 : color == ColorMode.GRAY ? 1 : channels;
        if (expectChannels != channels) {
            throw new ConversionException(source + ": color " + color + " needs " + expectChannels
                    + " input channels but the model takes " + channels);
        }
        checkPerChannel(source, "mean", mean, channels);
        checkPerChannel(source, "std", std, channels);
        for (float v : std) {
            if (!(v > 0f)) {
                throw new ConversionException(source + ": std values must be > 0, got " + v);
            }
        }
        InputSpec.Builder spec = InputSpec.newBuilder().setHeight(height).setWidth(width).setChannels(channels)
                .setLayout(Layout.NCHW).setColor(color).setPixelScale(pixelScale);
        for (float m : mean) {
            spec.addMean(m);
        }
        for (float v : std) {
            spec.addStd(v);
        }
        return Metadata.newBuilder().setModelName(name).addAllLabels(labels).setInputSpec(spec)
                .setProducer(EqmFormat.PRODUCER).setProducerVersion(EqmFormat.PRODUCER_VERSION)
                .setSourceSha256(sha).setSourceFile(source).build();
    }

    /** "gray" or "rgb" (any case) as a ColorMode. */
    public static ColorMode parseColor(String color, String where) throws ConversionException {
        return switch (color.toLowerCase(Locale.ROOT)) {
            case "gray", "grey", "grayscale" -> ColorMode.GRAY;
            case "rgb" -> ColorMode.RGB;
            default -> throw new ConversionException(where + ": color '" + color + "' (expected gray or rgb)");
        };
    }

    private static void checkSame(String source, String what, Integer declared, int actual) throws ConversionException {
        if (declared != null && declared != actual) {
            throw new ConversionException(source + ": the metadata JSON says input " + what + " " + declared
                    + " but the ONNX graph input has " + actual);
        }
    }

    private static void checkPerChannel(String source, String what, float[] v, int channels) throws ConversionException {
        if (v.length != 1 && v.length != channels) {
            throw new ConversionException(source + ": " + what + " has " + v.length + " values; give 1 or "
                    + channels + " (one per channel)");
        }
    }

    @SafeVarargs
    private static <T> T first(T... candidates) {
        for (T c : candidates) {
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
