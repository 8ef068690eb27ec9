package dev.edgeq.converter.onnx;

import dev.edgeq.runtime.kernels.ConvGeometry;
import java.util.Arrays;

/** Shape arithmetic shared by the conv and pool lowerings (one spatial axis at a time). */
public final class Shapes {
    private Shapes() {
    }

    /** The extent a kernel of size k with dilation d covers. */
    public static int effectiveKernel(int k, int dilation) {
        return (int) Math.min(Integer.MAX_VALUE, ConvGeometry.effectiveKernel(k, dilation));
    }

    /**
     * Resolves ONNX auto_pad for one axis into {begin, end}; NOTSET returns the explicit pads.
     * SAME_UPPER puts the odd extra pad at the end, SAME_LOWER at the beginning (ONNX spec).
     */
    public static int[] resolvePad(String autoPad, int in, int stride, int kEff, int explicitBegin, int explicitEnd)
            throws Unsupported {
        switch (autoPad) {
            case "NOTSET", "" -> {
                return new int[] {explicitBegin, explicitEnd};
            }
            case "VALID" -> {
                return new int[] {0, 0};
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                int out = (in + stride - 1) / stride;
                int total = Math.max(0, (out - 1) * stride + kEff - in);
                int small = total / 2;
                return autoPad.equals("SAME_UPPER") ? new int[] {small, total - small}
                        : new int[] {total - small, small};
            }
            default -> throw new Unsupported("auto_pad=" + autoPad);
        }
    }

    /** Output size with floor rounding (Conv, and pools without ceil_mode): the runtime's rule. */
    public static int outputFloor(int in, int padBegin, int padEnd, int kEff, int stride) {
        return ConvGeometry.outputSize(in, kEff, stride, 1, padBegin, padEnd, false);
    }

    /**
     * Pool output size with ceil_mode: round up, but drop a last window that would start in the
     * end padding (beyond input + begin pad), as PyTorch and ONNX Runtime do.
     */
    public static int outputCeil(int in, int padBegin, int padEnd, int kEff, int stride) {
        int out = ConvGeometry.outputSize(in, kEff, stride, 1, padBegin, padEnd, true);
        if (out > 0 && (long) (out - 1) * stride >= (long) in + padBegin) {
            out--;
        }
        return out;
    }

    public static int[] nhwc(int[] onnx) {
        if (onnx.length == 4) {
            return new int[] {onnx[0], onnx[2], onnx[3], onnx[1]};
        }
        return onnx.clone();
    }

    public static int product(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    public static String str(int[] dims) {
        return Arrays.toString(dims);
    }
}
