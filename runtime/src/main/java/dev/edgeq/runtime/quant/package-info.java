/**
 * Prepare-time quantization helpers shared by every int8 kernel: the one requantization function
 * ({@link dev.edgeq.runtime.quant.QuantizedMultiplier#multiplyByQuantizedMultiplier(int, int, int)},
 * TFLite's double rounding), real-to-fixed-point multiplier conversion, and fused-activation clamp
 * ranges ({@link dev.edgeq.runtime.quant.ActivationRange}). Only the multiply itself runs at
 * inference time; it is integer-only and allocation-free.
 */
package dev.edgeq.runtime.quant;
