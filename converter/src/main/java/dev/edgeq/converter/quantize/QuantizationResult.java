package dev.edgeq.converter.quantize;

import dev.edgeq.format.ModelFile;

/**
 * The output of {@link Quantizer#quantize}: the int8 model (validated, ready to write) and the
 * per-layer report.
 */
public record QuantizationResult(ModelFile model, QuantizationReport report) {
}
