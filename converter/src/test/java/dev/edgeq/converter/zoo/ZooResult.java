package dev.edgeq.converter.zoo;

import java.util.Set;

/**
 * What {@link ZooCheck} measured for one family.
 *
 * @param floatError the float conversion's error message, null when it converted
 * @param int8Error the int8 conversion's error message, null when it converted (or float failed)
 * @param unsupportedOps the op types the float conversion's error names as unsupported
 * @param macs multiply-accumulates per image (edgeq inspect of the float model)
 * @param floatMaxRelativeDiff edgeq float vs ONNX Runtime: max |diff| / max |ORT logit|
 * @param floatSqnrDb edgeq float logits vs PyTorch float logits
 * @param ortSqnrDb ONNX Runtime's logits vs PyTorch's: how far float rounding alone moves this network
 * @param int8SqnrDb edgeq int8 logits vs PyTorch float logits
 * @param floatConvertSeconds, floatCheckSeconds, int8ConvertSeconds CPU seconds: ONNX to float .eqm; running
 *     edgeq float and ONNX Runtime on the test images; float .eqm to int8 (calibration, bias correction, report)
 */
public record ZooResult(ZooFamily family, String floatError, String int8Error, Set<String> unsupportedOps, long macs,
        double floatMaxRelativeDiff, double floatSqnrDb, double ortSqnrDb, double int8SqnrDb, double floatConvertSeconds,
        double floatCheckSeconds, double int8ConvertSeconds) {

    static ZooResult floatFailed(ZooFamily family, String message, double seconds) {
        return new ZooResult(family, message, null, ZooCheck.unsupportedOps(message), 0, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, seconds, 0, 0);
    }

    public boolean convertsFloat() {
        return floatError == null;
    }

    public boolean convertsInt8() {
        return floatError == null && int8Error == null;
    }
}
