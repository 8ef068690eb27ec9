package dev.edgeq.converter.inspect;

import java.util.List;

/**
 * What {@code inspect} prints: per-layer rows and totals. {@code peakLiveActivationBytes} is the
 * largest sum of simultaneously live activation tensors in execution order (a lower bound on
 * any arena). {@code arenaBytes} / {@code arenaLowerBoundBytes} come from the runtime
 * Interpreter's memory plan and include {@code scratchBytes}, the kernels' scratch planned in it
 * for the kernel family {@code kernels} and {@code threads} threads (both change the scratch);
 * {@code floatFallbackLayers} lists, for int8 models, the ops that
 * run in float between a dequantize and a quantize (empty for float models).
 */
public record InspectReport(String source, String modelName, String format, String dataType,
        List<LayerInfo> layers, long totalParams, long totalMacs, long totalConnections, long weightBytes,
        long activationBytes, long peakLiveActivationBytes, Long arenaBytes, Long arenaLowerBoundBytes,
        Long scratchBytes, String kernels, Integer threads,
        List<String> floatFallbackLayers,
        List<String> labels) {
}
