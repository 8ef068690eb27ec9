package dev.edgeq.converter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The NAME.json the training tool writes beside NAME.onnx: model name, labels and the input
 * spec (height, width, channels, layout, color, pixel_scale, mean, std). Other fields
 * (accuracy, training settings) are ignored.
 */
public record SidecarMetadata(String modelName, List<String> labels, Integer height, Integer width,
        Integer channels, String layout, String color, Float pixelScale, float[] mean, float[] std) {

    /** NAME.json for NAME.onnx. */
    public static Path besides(Path onnx) {
        String file = onnx.getFileName().toString();
        String stem = file.endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
        return onnx.resolveSibling(stem + ".json");
    }

    public static SidecarMetadata read(Path json) throws ConversionException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(json));
        } catch (IOException e) {
            throw new ConversionException("cannot read model metadata " + json + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConversionException("model metadata " + json + " is not a JSON object");
        }
        List<String> labels = null;
        if (root.has("labels")) {
            if (!root.get("labels").isArray()) {
                throw new ConversionException("model metadata " + json + ": \"labels\" must be an array of strings");
            }
            labels = new ArrayList<>();
            for (JsonNode l : root.get("labels")) {
                labels.add(l.asText());
            }
        }
        JsonNode in = root.path("input");
        return new SidecarMetadata(text(root, "model_name"), labels,
                integer(in, "height"), integer(in, "width"), integer(in, "channels"),
                text(in, "layout"), text(in, "color"),
                in.has("pixel_scale") ? (float) in.get("pixel_scale").asDouble() : null,
                floats(in, "mean", json), floats(in, "std", json));
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static Integer integer(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asInt() : null;
    }

    private static float[] floats(JsonNode n, String field, Path json) throws ConversionException {
        if (!n.hasNonNull(field)) {
            return null;
        }
        JsonNode a = n.get(field);
        if (a.isNumber()) {
            return new float[] {(float) a.asDouble()};
        }
        if (!a.isArray()) {
            throw new ConversionException("model metadata " + json + ": input." + field + " must be a number or an array");
        }
        float[] r = new float[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) a.get(i).asDouble();
        }
        return r;
    }
}
