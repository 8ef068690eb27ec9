package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.ConvGeometry;

import java.util.Arrays;

/**
 * Prepare-time parameters of an int8 2-D convolution or depthwise convolution (immutable, validated
 * by {@link Builder#build()}).
 *
 * <ul>
 *   <li>Input: NHWC {@code [batches][inputHeight][inputWidth][inputChannels]} int8.</li>
 *   <li>Output: NHWC {@code [batches][outputHeight][outputWidth][outputChannels]} int8.</li>
 *   <li>Conv filter: OHWI {@code [outputChannels][filterHeight][filterWidth][inputChannels / groups]} int8
 *       (grouped convolution: output channel {@code oc} reads the input channels of group
 *       {@code oc / (outputChannels / groups)}, as ONNX's Conv {@code group});
 *       depthwise filter: 1HWO {@code [filterHeight][filterWidth][outputChannels]} with
 *       {@code outputChannels = inputChannels * depthMultiplier}, output channel {@code oc} reading
 *       input channel {@code oc / depthMultiplier}.</li>
 *   <li>Bias: optional int32 {@code [outputChannels]}, scale {@code inputScale * filterScale[oc]}.</li>
 *   <li>Geometry: output position {@code o} reads input {@code o * stride - padBegin + k * dilation};
 *       positions outside the input contribute nothing. The output size must equal
 *       {@code floor((in + padBegin + padEnd - dilation * (filter - 1) - 1) / stride) + 1}.</li>
 *   <li>Arithmetic: {@code acc = bias[oc] + sum(w * (x + inputOffset))} in int32, then
 *       {@code clamp(multiplyByQuantizedMultiplier(acc, multiplier[oc], shift[oc]) + outputOffset,
 *       activationMin, activationMax)}.</li>
 * </ul>
 * Legal ranges: sizes, strides, dilations >= 1; pads >= 0; {@code inputOffset} (minus the input
 * zero point) in [-127, 128]; {@code outputOffset} (the output zero point) in [-128, 127];
 * {@code -128 <= activationMin <= activationMax <= 127}; shifts in [-31, 31].
 */
public final class ConvParams {
    public final int batches;
    public final int inputHeight;
    public final int inputWidth;
    public final int inputChannels;
    public final int outputHeight;
    public final int outputWidth;
    public final int outputChannels;
    public final int filterHeight;
    public final int filterWidth;
    public final int strideHeight;
    public final int strideWidth;
    public final int dilationHeight;
    public final int dilationWidth;
    public final int padTop;
    public final int padLeft;
    public final int padBottom;
    public final int padRight;
    /** Depthwise only: output channels per input channel (1 for a regular convolution). */
    public final int depthMultiplier;
    /** Conv only: channel groups, dividing both channel counts (1 for an ordinary convolution). */
    public final int groups;
    public final int inputOffset;
    public final int outputOffset;
    public final int activationMin;
    public final int activationMax;
    // Package-private: kernels read them directly; the public accessors copy.
    final int[] multipliers;
    final int[] shifts;

    private ConvParams(Builder b) {
        batches = b.batches;
        inputHeight = b.inputHeight;
        inputWidth = b.inputWidth;
        inputChannels = b.inputChannels;
        outputHeight = b.outputHeight;
        outputWidth = b.outputWidth;
        outputChannels = b.outputChannels;
        filterHeight = b.filterHeight;
        filterWidth = b.filterWidth;
        strideHeight = b.strideHeight;
        strideWidth = b.strideWidth;
        dilationHeight = b.dilationHeight;
        dilationWidth = b.dilationWidth;
        padTop = b.padTop;
        padLeft = b.padLeft;
        padBottom = b.padBottom;
        padRight = b.padRight;
        depthMultiplier = b.depthMultiplier;
        groups = b.groups;
        inputOffset = b.inputOffset;
        outputOffset = b.outputOffset;
        activationMin = b.activationMin;
        activationMax = b.activationMax;
        multipliers = b.multipliers.clone();
        shifts = b.shifts.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Q31 multiplier of output channel {@code oc}. */
    public int multiplier(int oc) {
        return multipliers[oc];
    }

    /** Shift of output channel {@code oc}. */
    public int shift(int oc) {
        return shifts[oc];
    }

    /** Elements of one input tensor (all batches). */
    public int inputSize() {
        return batches * inputHeight * inputWidth * inputChannels;
    }

    /** Elements of one output tensor (all batches). */
    public int outputSize() {
        return batches * outputHeight * outputWidth * outputChannels;
    }

    /** Input channels each output channel of a conv reads ({@code inputChannels / groups}). */
    public int groupInputChannels() {
        return inputChannels / groups;
    }

    /** Elements of a conv filter (OHWI, I = input channels per group). */
    public int convFilterSize() {
        return outputChannels * filterHeight * filterWidth * groupInputChannels();
    }

    /** Elements of a depthwise filter (1HWO). */
    public int depthwiseFilterSize() {
        return filterHeight * filterWidth * outputChannels;
    }

    /** Multiply-accumulates of a regular convolution (all batches, padding positions included). */
    public long convMacs() {
        return (long) outputSize() * filterHeight * filterWidth * groupInputChannels();
    }

    /** Multiply-accumulates of a depthwise convolution. */
    public long depthwiseMacs() {
        return (long) outputSize() * filterHeight * filterWidth;
    }

    @Override
    public String toString() {
        return "ConvParams{batches=" + batches + ", input=" + inputHeight + "x" + inputWidth + "x" + inputChannels
                + ", output=" + outputHeight + "x" + outputWidth + "x" + outputChannels
                + ", filter=" + filterHeight + "x" + filterWidth + ", stride=" + strideHeight + "x" + strideWidth
                + ", dilation=" + dilationHeight + "x" + dilationWidth
                + ", pad(t,l,b,r)=" + padTop + "," + padLeft + "," + padBottom + "," + padRight
                + ", depthMultiplier=" + depthMultiplier + ", groups=" + groups + ", inputOffset=" + inputOffset + ", outputOffset=" + outputOffset
                + ", activation=[" + activationMin + "," + activationMax + "]"
                + ", multipliers=" + Arrays.toString(multipliers) + ", shifts=" + Arrays.toString(shifts) + "}";
    }

    /** Builder; {@link #build()} validates everything and throws {@link IllegalArgumentException}. */
    public static final class Builder {
        private int batches = 1;
        private int inputHeight, inputWidth, inputChannels;
        private int outputHeight, outputWidth, outputChannels;
        private int filterHeight, filterWidth;
        private int strideHeight = 1, strideWidth = 1;
        private int dilationHeight = 1, dilationWidth = 1;
        private int padTop, padLeft, padBottom, padRight;
        private int depthMultiplier = 1;
        private int groups = 1;
        private int inputOffset, outputOffset;
        private int activationMin = -128, activationMax = 127;
        private int[] multipliers = new int[0];
        private int[] shifts = new int[0];

        private Builder() {
        }

        public Builder input(int batches, int height, int width, int channels) {
            this.batches = batches;
            this.inputHeight = height;
            this.inputWidth = width;
            this.inputChannels = channels;
            return this;
        }

        public Builder output(int height, int width, int channels) {
            this.outputHeight = height;
            this.outputWidth = width;
            this.outputChannels = channels;
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

        public Builder dilation(int height, int width) {
            this.dilationHeight = height;
            this.dilationWidth = width;
            return this;
        }

        public Builder padding(int top, int left, int bottom, int right) {
            this.padTop = top;
            this.padLeft = left;
            this.padBottom = bottom;
            this.padRight = right;
            return this;
        }

        public Builder depthMultiplier(int depthMultiplier) {
            this.depthMultiplier = depthMultiplier;
            return this;
        }

        /** Conv only: channel groups (ONNX Conv {@code group}); 1 by default. */
        public Builder groups(int groups) {
            this.groups = groups;
            return this;
        }

        /** {@code inputOffset} is minus the input zero point; {@code outputOffset} is the output zero point. */
        public Builder offsets(int inputOffset, int outputOffset) {
            this.inputOffset = inputOffset;
            this.outputOffset = outputOffset;
            return this;
        }

        public Builder activation(int min, int max) {
            this.activationMin = min;
            this.activationMax = max;
            return this;
        }

        /** Per-output-channel requantization (arrays are copied). */
        public Builder perChannel(int[] multipliers, int[] shifts) {
            this.multipliers = multipliers.clone();
            this.shifts = shifts.clone();
            return this;
        }

        /** Per-tensor requantization: the same multiplier and shift for every output channel. */
        public Builder perTensor(int multiplier, int shift) {
            if (outputChannels <= 0) {
                throw new IllegalStateException("call output(...) before perTensor(...)");
            }
            this.multipliers = new int[outputChannels];
            this.shifts = new int[outputChannels];
            Arrays.fill(multipliers, multiplier);
            Arrays.fill(shifts, shift);
            return this;
        }

        public ConvParams build() {
            Checks.positive("batches", batches);
            Checks.positive("inputHeight", inputHeight);
            Checks.positive("inputWidth", inputWidth);
            Checks.positive("inputChannels", inputChannels);
            Checks.positive("outputHeight", outputHeight);
            Checks.positive("outputWidth", outputWidth);
            Checks.positive("outputChannels", outputChannels);
            Checks.positive("filterHeight", filterHeight);
            Checks.positive("filterWidth", filterWidth);
            Checks.positive("strideHeight", strideHeight);
            Checks.positive("strideWidth", strideWidth);
            Checks.positive("dilationHeight", dilationHeight);
            Checks.positive("dilationWidth", dilationWidth);
            Checks.positive("depthMultiplier", depthMultiplier);
            Checks.positive("groups", groups);
            if (inputChannels % groups != 0 || outputChannels % groups != 0) {
                throw new IllegalArgumentException("conv groups " + groups + " do not divide input channels " + inputChannels
                        + " and output channels " + outputChannels);
            }
            if (groups > 1 && depthMultiplier > 1) {
                throw new IllegalArgumentException("conv: groups " + groups + " and depth multiplier " + depthMultiplier
                        + " exclude each other (a depthwise conv has its own filter layout)");
            }
            Checks.nonNegative("padTop", padTop);
            Checks.nonNegative("padLeft", padLeft);
            Checks.nonNegative("padBottom", padBottom);
            Checks.nonNegative("padRight", padRight);
            Checks.inRange("inputOffset", inputOffset, -127, 128);
            Checks.inRange("outputOffset", outputOffset, -128, 127);
            Checks.activation(activationMin, activationMax);
            Checks.requantization(multipliers, shifts, outputChannels);
            checkOutputSize("height", inputHeight, padTop, padBottom, filterHeight, dilationHeight, strideHeight, outputHeight);
            checkOutputSize("width", inputWidth, padLeft, padRight, filterWidth, dilationWidth, strideWidth, outputWidth);
            Checks.fitsInt("input size", (long) batches * inputHeight * inputWidth * inputChannels);
            Checks.fitsInt("output size", (long) batches * outputHeight * outputWidth * outputChannels);
            Checks.fitsInt("filter size", (long) outputChannels * filterHeight * filterWidth * (inputChannels / groups));
            return new ConvParams(this);
        }

        private static void checkOutputSize(String dim, int in, int padBegin, int padEnd, int filter, int dilation, int stride, int out) {
            int expected = ConvGeometry.outputSize(in, filter, stride, dilation, padBegin, padEnd, false);
            if (expected == 0) {
                throw new IllegalArgumentException("conv " + dim + ": dilated filter " + ConvGeometry.effectiveKernel(filter, dilation)
                        + " larger than padded input " + ((long) in + padBegin + padEnd));
            }
            if (expected != out) {
                throw new IllegalArgumentException("conv output " + dim + " " + out + " does not match input " + in
                        + ", pads " + padBegin + "/" + padEnd + ", filter " + filter + ", dilation " + dilation
                        + ", stride " + stride + " (expected " + expected + ")");
            }
        }
    }
}
