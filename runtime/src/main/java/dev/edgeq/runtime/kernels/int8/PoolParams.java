package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.ConvGeometry;

/**
 * Prepare-time parameters of int8 max / average pooling (immutable, validated by
 * {@link Builder#build()}); {@link #global} builds the global variants (output 1x1xC).
 *
 * <ul>
 *   <li>Input NHWC {@code [batches][inputHeight][inputWidth][channels]}, output NHWC
 *       {@code [batches][outputHeight][outputWidth][channels]}, both int8 with the same scale and
 *       zero point (pooling does not requantize).</li>
 *   <li>Output position {@code o} covers input {@code [o * stride - padBegin, ... + filter)}; only
 *       positions inside the input are read. The output size may be the floor or the ceil form
 *       ({@code ceil_mode}) of {@code (in + padBegin + padEnd - filter) / stride + 1}, so the last
 *       window may overhang even the declared end padding; every window must overlap the input.</li>
 *   <li>Max: maximum of the positions inside the input, clamped to [activationMin, activationMax].</li>
 *   <li>Average: sum of the positions inside the input divided by a count, rounded half away from
 *       zero (TFLite: {@code (sum +- count/2) / count}), then clamped. The count is the number of
 *       positions inside the input (TFLite, ONNX {@code count_include_pad=0}) or, with
 *       {@code countIncludePad}, the window clipped to {@code [-padBegin, in + padEnd)} (ONNX
 *       {@code count_include_pad=1}: declared padding counts, ceil-mode overhang does not).</li>
 * </ul>
 */
public final class PoolParams {
    public final int batches;
    public final int inputHeight;
    public final int inputWidth;
    public final int channels;
    public final int outputHeight;
    public final int outputWidth;
    public final int filterHeight;
    public final int filterWidth;
    public final int strideHeight;
    public final int strideWidth;
    public final int padTop;
    public final int padLeft;
    public final int padBottom;
    public final int padRight;
    public final int activationMin;
    public final int activationMax;
    /** Average pooling only: divide by the window clipped to the padded input (ONNX count_include_pad=1). */
    public final boolean countIncludePad;

    private PoolParams(Builder b) {
        batches = b.batches;
        inputHeight = b.inputHeight;
        inputWidth = b.inputWidth;
        channels = b.channels;
        outputHeight = b.outputHeight;
        outputWidth = b.outputWidth;
        filterHeight = b.filterHeight;
        filterWidth = b.filterWidth;
        strideHeight = b.strideHeight;
        strideWidth = b.strideWidth;
        padTop = b.padTop;
        padLeft = b.padLeft;
        padBottom = b.padBottom;
        padRight = b.padRight;
        activationMin = b.activationMin;
        activationMax = b.activationMax;
        countIncludePad = b.countIncludePad;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** GlobalAveragePool / GlobalMaxPool: one window covering the whole input, output 1x1xC. */
    public static PoolParams global(int batches, int height, int width, int channels, int activationMin, int activationMax) {
        return builder().input(batches, height, width, channels).output(1, 1).filter(height, width)
                .activation(activationMin, activationMax).build();
    }

    public int inputSize() {
        return batches * inputHeight * inputWidth * channels;
    }

    public int outputSize() {
        return batches * outputHeight * outputWidth * channels;
    }

    @Override
    public String toString() {
        return "PoolParams{batches=" + batches + ", input=" + inputHeight + "x" + inputWidth + "x" + channels
                + ", output=" + outputHeight + "x" + outputWidth + ", filter=" + filterHeight + "x" + filterWidth
                + ", stride=" + strideHeight + "x" + strideWidth
                + ", pad(t,l,b,r)=" + padTop + "," + padLeft + "," + padBottom + "," + padRight
                + ", activation=[" + activationMin + "," + activationMax + "], countIncludePad=" + countIncludePad + "}";
    }

    public static final class Builder {
        private int batches = 1;
        private int inputHeight, inputWidth, channels;
        private int outputHeight, outputWidth;
        private int filterHeight, filterWidth;
        private int strideHeight = 1, strideWidth = 1;
        private int padTop, padLeft, padBottom, padRight;
        private int activationMin = -128, activationMax = 127;
        private boolean countIncludePad;

        private Builder() {
        }

        public Builder input(int batches, int height, int width, int channels) {
            this.batches = batches;
            this.inputHeight = height;
            this.inputWidth = width;
            this.channels = channels;
            return this;
        }

        public Builder output(int height, int width) {
            this.outputHeight = height;
            this.outputWidth = width;
            return this;
        }

        public Builder filter(int height, int width) {
            this.filterHeight = height;
            this.filterWidth = width;
            return this;
        }

        public Builder stride(int height, int width) {
            this.strideHeight = height;
            this.strideWidth = width;
            return this;
        }

        public Builder padding(int top, int left, int bottom, int right) {
            this.padTop = top;
            this.padLeft = left;
            this.padBottom = bottom;
            this.padRight = right;
            return this;
        }

        public Builder activation(int min, int max) {
            this.activationMin = min;
            this.activationMax = max;
            return this;
        }

        public Builder countIncludePad(boolean countIncludePad) {
            this.countIncludePad = countIncludePad;
            return this;
        }

        public PoolParams build() {
            Checks.positive("batches", batches);
            Checks.positive("inputHeight", inputHeight);
            Checks.positive("inputWidth", inputWidth);
            Checks.positive("channels", channels);
            Checks.positive("outputHeight", outputHeight);
            Checks.positive("outputWidth", outputWidth);
            Checks.positive("filterHeight", filterHeight);
            Checks.positive("filterWidth", filterWidth);
            Checks.positive("strideHeight", strideHeight);
            Checks.positive("strideWidth", strideWidth);
            Checks.nonNegative("padTop", padTop);
            Checks.nonNegative("padLeft", padLeft);
            Checks.nonNegative("padBottom", padBottom);
            Checks.nonNegative("padRight", padRight);
            Checks.activation(activationMin, activationMax);
            checkOutputSize("height", inputHeight, padTop, padBottom, filterHeight, strideHeight, outputHeight);
            checkOutputSize("width", inputWidth, padLeft, padRight, filterWidth, strideWidth, outputWidth);
            Checks.fitsInt("input size", (long) batches * inputHeight * inputWidth * channels);
            Checks.fitsInt("window size", (long) filterHeight * filterWidth * 255);
            return new PoolParams(this);
        }

        private static void checkOutputSize(String dim, int in, int padBegin, int padEnd, int filter, int stride, int out) {
            int floorOut = ConvGeometry.outputSize(in, filter, stride, 1, padBegin, padEnd, false);
            int ceilOut = ConvGeometry.outputSize(in, filter, stride, 1, padBegin, padEnd, true);
            if (floorOut == 0) {
                throw new IllegalArgumentException("pool " + dim + ": filter " + filter + " larger than padded input "
                        + ((long) in + padBegin + padEnd));
            }
            if (out < floorOut || out > ceilOut) {
                throw new IllegalArgumentException("pool output " + dim + " " + out + " is neither the floor (" + floorOut
                        + ") nor the ceil (" + ceilOut + ") size for input " + in + ", pads " + padBegin + "/" + padEnd
                        + ", filter " + filter + ", stride " + stride);
            }
            if (filter <= padBegin || (long) (out - 1) * stride - padBegin >= in) {
                throw new IllegalArgumentException("pool " + dim + ": a window lies entirely in the padding (input " + in
                        + ", pad begin " + padBegin + ", filter " + filter + ", stride " + stride + ", output " + out + ")");
            }
        }
    }
}
