package dev.edgeq.converter.quantize;

/**
 * One operator of the int8 model and the quantization of its output.
 *
 * @param index operator index in the int8 model
 * @param name operator name (the float model's, or TENSOR/quantize and TENSOR/dequantize for the
 *     conversions the quantizer inserted)
 * @param type operator type (CONV_2D, ...)
 * @param tensor output tensor name
 * @param shape output shape (NHWC)
 * @param int8 true when the output is int8; false inside a float island
 * @param observedMin smallest value the float model produced for this tensor on the calibration data
 * @param observedMax largest such value
 * @param rangeMin real value of int8 -128 (NaN for float outputs)
 * @param rangeMax real value of int8 127 (NaN for float outputs)
 * @param scale quantization step (NaN for float outputs)
 * @param zeroPoint int8 value of real 0 (0 for float outputs)
 * @param sqnrDb signal-to-quantization-noise ratio of this output (int8 model, dequantized, against
 *     the float model) over the calibration data: 10 log10(sum f^2 / sum (f - q)^2); +Infinity
 *     when identical
 */
public record LayerReport(int index, String name, String type, String tensor, int[] shape, boolean int8,
        double observedMin, double observedMax, double rangeMin, double rangeMax, double scale, int zeroPoint,
        double sqnrDb) {
}
