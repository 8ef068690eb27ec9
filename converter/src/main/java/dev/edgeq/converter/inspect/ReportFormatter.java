package dev.edgeq.converter.inspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Locale;

/** {@link InspectReport} as a plain-text table or one JSON document (same fields). */
public final class ReportFormatter {
    private ReportFormatter() {
    }

    public static String json(InspectReport r) {
        try {
            // snake_case keys, as in all edgeq JSON (the record components are camelCase Java names)
            return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report is plain data; Jackson cannot fail on it", e);
        }
    }

    public static String text(InspectReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "model %s (%s, %s) from %s%n", r.modelName(), r.format(),
                r.dataType(), r.source()));
        String fmt = "%-3s %-24s %-20s %-12s %-10s %12s %14s %16s %8s  %s%n";
        sb.append(String.format(Locale.ROOT, fmt, "#", "name", "op", "output HxWxC", "kernel", "params", "MACs",
                "connections", "RF", "act"));
        for (LayerInfo l : r.layers()) {
            sb.append(String.format(Locale.ROOT, fmt, l.index(), clip(l.name(), 24), l.op(), l.outputHwc(), l.kernel(),
                    group(l.params()), group(l.macs()), group(l.connections()),
                    l.receptiveFieldH() + "x" + l.receptiveFieldW(), l.activation()));
        }
        sb.append(String.format(Locale.ROOT, "total: %s params, %s MACs, %s connections%n", group(r.totalParams()),
                group(r.totalMacs()), group(r.totalConnections())));
        sb.append(String.format(Locale.ROOT, "weights: %s bytes; activations: %s bytes in all, %s bytes live at most",
                group(r.weightBytes()), group(r.activationBytes()), group(r.peakLiveActivationBytes())));
        if (r.arenaBytes() != null) {
            sb.append(String.format(Locale.ROOT, "; runtime arena %s bytes (lower bound %s)", group(r.arenaBytes()),
                    group(r.arenaLowerBoundBytes())));
        }
        sb.append(System.lineSeparator());
        if (r.floatFallbackLayers() != null && !r.floatFallbackLayers().isEmpty()) {
            sb.append("float fallback: ").append(String.join(", ", r.floatFallbackLayers())).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static String group(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }
}
