package dev.edgeq.converter.inspect;

import java.util.List;

/**
 * What {@code inspect} prints: per-layer rows and totals. {@code peakLiveActivationBytes} is the
 * largest sum of simultaneously live activation tensors in execution order (a lower bound on
 * any arena). {@code arenaBytes} and {@code floatFallbackLayers} are filled in when the runtime's
 * memory plan / int8 model provide them (null otherwise).
 */
public record InspectReport(String source, String modelName, String format, String dataType,
        List<LayerInfo> layers, long totalParams, long totalMacs, long totalConnections, long weightBytes,
        long activationBytes, long peakLiveActivationBytes, Long arenaBytes, List<String> floatFallbackLayers,
        List<String> labels) {
}
