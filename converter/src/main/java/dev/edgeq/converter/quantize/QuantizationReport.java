package dev.edgeq.converter.quantize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * What quantization did, layer by layer, and how close the int8 model stays to the float one on
 * the calibration data. Rendered by {@link #toText()} (what {@code edgeq convert} prints) and
 * {@link #toJson()} ({@code --json}).
 *
 * @param modelName the model's name
 * @param method calibration method, e.g. "minmax" or "percentile 99.99"
 * @param calibration where the calibration images came from
 * @param calibrationImages how many were used
 * @param inputScale the int8 input's scale (pixels map to it through the model's mean/std)
 * @param inputZeroPoint the int8 input's zero point
 * @param layers one entry per operator of the int8 model, in execution order
 * @param floatIslands names of the operators that run in float (between DEQUANTIZE and QUANTIZE)
 * @param decisionTensor the int8 logits whose range was chosen for top-1 fidelity (null if none)
 * @param decisionAgreement fraction of calibration images whose float top-1 survives the simulated
 *     rounding of those logits alone (NaN if none)
 * @param top1Agreement fraction of calibration images whose top-1 class is the same in both models
 * @param floatModelBytes serialized size of the float model
 * @param int8ModelBytes serialized size of the int8 model
 */
public record QuantizationReport(String modelName, String method, String calibration, int calibrationImages,
        float inputScale, int inputZeroPoint, List<LayerReport> layers, List<String> floatIslands,
        String decisionTensor, double decisionAgreement, double top1Agreement, long floatModelBytes, long int8ModelBytes) {

    public QuantizationReport {
        layers = List.copyOf(layers);
        floatIslands = List.copyOf(floatIslands);
    }

    /** The lowest SQNR over the layers (the weakest layer), +Infinity if there are none. */
    public double minSqnrDb() {
        double min = Double.POSITIVE_INFINITY;
        for (LayerReport l : layers) {
            min = Math.min(min, l.sqnrDb());
        }
        return min;
    }

    public LayerReport layer(String name) {
        for (LayerReport l : layers) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("no layer '" + name + "' in the report of " + modelName);
    }

    /** A fixed-width table, one line per layer, then a summary. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "int8 quantization of %s: %s calibration on %d images (%s)%n",
                modelName, method, calibrationImages, calibration));
        b.append(String.format(Locale.ROOT, "input: int8, scale %.6g, zero point %d (raw pixels through mean/std)%n",
                inputScale, inputZeroPoint));
        int nameWidth = 8;
        for (LayerReport l : layers) {
            nameWidth = Math.max(nameWidth, l.name().length());
        }
        nameWidth = Math.min(nameWidth, 40);
        String header = "%-3s %-" + nameWidth + "s %-19s %-14s %-6s %-23s %-23s %-11s %5s %9s%n";
        String row = "%-3d %-" + nameWidth + "s %-19s %-14s %-6s %-23s %-23s %-11s %5s %9s%n";
        b.append(String.format(Locale.ROOT, header, "#", "layer", "op", "output", "type", "observed", "int8 range",
                "scale", "zp", "SQNR dB"));
        for (LayerReport l : layers) {
            String name = l.name().length() > nameWidth ? l.name().substring(0, nameWidth - 1) + "~" : l.name();
            b.append(String.format(Locale.ROOT, row, l.index(), name, l.type(), shape(l.shape()),
                    l.int8() ? "int8" : "float",
                    range(l.observedMin(), l.observedMax()),
                    l.int8() ? range(l.rangeMin(), l.rangeMax()) : "-",
                    l.int8() ? String.format(Locale.ROOT, "%.5g", l.scale()) : "-",
                    l.int8() ? Integer.toString(l.zeroPoint()) : "-",
                    sqnr(l.sqnrDb())));
        }
        b.append(String.format(Locale.ROOT, "float islands: %s%n", floatIslands.isEmpty() ? "none" : String.join(", ", floatIslands)));
        if (decisionTensor != null) {
            b.append(String.format(Locale.ROOT, "logits '%s': range chosen for top-1 fidelity (%.2f%% of calibration top-1 kept by their rounding alone)%n",
                    decisionTensor, 100 * decisionAgreement));
        }
        b.append(String.format(Locale.ROOT, "top-1 agreement with the float model on the calibration images: %.2f%%%n",
                100 * top1Agreement));
        b.append(String.format(Locale.ROOT, "model size: float %,d bytes, int8 %,d bytes (%.1fx smaller)%n",
                floatModelBytes, int8ModelBytes, int8ModelBytes == 0 ? 0.0 : (double) floatModelBytes / int8ModelBytes));
        return b.toString();
    }

    /** One JSON document with the same fields, keys in snake_case as in all edgeq JSON (SQNR +Infinity is written as null). */
    public String toJson() {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("model", modelName);
        root.put("method", method);
        root.put("calibration", calibration);
        root.put("calibration_images", calibrationImages);
        ObjectNode input = root.putObject("input");
        input.put("type", "int8");
        input.put("scale", inputScale);
        input.put("zero_point", inputZeroPoint);
        ArrayNode array = root.putArray("layers");
        for (LayerReport l : layers) {
            ObjectNode o = array.addObject();
            o.put("index", l.index());
            o.put("name", l.name());
            o.put("op", l.type());
            o.put("tensor", l.tensor());
            ArrayNode shape = o.putArray("shape");
            for (int d : l.shape()) {
                shape.add(d);
            }
            o.put("type", l.int8() ? "int8" : "float");
            putFinite(o, "observed_min", l.observedMin());
            putFinite(o, "observed_max", l.observedMax());
            if (l.int8()) {
                o.put("range_min", l.rangeMin());
                o.put("range_max", l.rangeMax());
                o.put("scale", l.scale());
                o.put("zero_point", l.zeroPoint());
            }
            putFinite(o, "sqnr_db", l.sqnrDb());
        }
        ArrayNode islands = root.putArray("float_islands");
        floatIslands.forEach(islands::add);
        if (decisionTensor != null) {
            root.put("decision_tensor", decisionTensor);
            root.put("decision_agreement", decisionAgreement);
        }
        root.put("top1_agreement", top1Agreement);
        root.put("float_model_bytes", floatModelBytes);
        root.put("int8_model_bytes", int8ModelBytes);
        try {
            return mapper.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON rendering of a tree cannot fail", e);
        }
    }

    private static void putFinite(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }

    private static String shape(int[] shape) {
        StringBuilder b = new StringBuilder();
        int start = shape.length > 1 && shape[0] == 1 ? 1 : 0;
        for (int i = start; i < shape.length; i++) {
            b.append(i > start ? "x" : "").append(shape[i]);
        }
        return b.toString();
    }

    private static String range(double lo, double hi) {
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
            return "-";
        }
        return String.format(Locale.ROOT, "[%.4g, %.4g]", lo, hi);
    }

    private static String sqnr(double db) {
        if (Double.isNaN(db)) {
            return "-";
        }
        return Double.isInfinite(db) ? "inf" : String.format(Locale.ROOT, "%.1f", db);
    }
}
