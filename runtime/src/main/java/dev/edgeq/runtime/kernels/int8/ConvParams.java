package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;
import dev.edgeq.runtime.kernels.ConvGeometry;

import java.util.Arrays;

/**
 * Prepare-time parameters of an int8 2-D convolution or depthwise convolution (immutable, validated
 * by {@link Builder#build()}): the window ({@link #geometry}, checked by
 * {@link ConvGeometry#checkConv()}) and the quantization (CMSIS-NN's conv params and per-channel
 * quant params).
 *
 * <ul>
 *   <li>Input: NHWC {@code [batches][inputH][inputW][inputC]} int8.</li>
 *   <li>Output: NHWC {@code [batches][outputH][outputW][outputC]} int8.</li>
 *   <li>Conv filter: OHWI {@code [outputC][kernelH][kernelW][inputC / groups]} int8
 *       (grouped convolution: output channel {@code oc} reads the input channels of group
 *       {@code oc / (outputC / groups)}, as ONNX's Conv {@code group});
 *       depthwise filter: 1HWO {@code [kernelH][kernelW][outputC]} with
 *       {@code outputC = inputC * depthMultiplier}, output channel {@code oc} reading
 *       input channel {@code oc / depthMultiplier}.</li>
 *   <li>Bias: optional int32 {@code [outputC]}, scale {@code inputScale * filterScale[oc]}.</li>
 *   <li>Geometry: output position {@code o} reads input {@code o * stride - padBegin + k * dilation};
 *       positions outside the input contribute nothing. The output size must equal
 *       {@code floor((in + padBegin + padEnd - dilation * (kernel - 1) - 1) / stride) + 1}.</li>
 *   <li>Arithmetic: {@code acc = bias[oc] + sum(w * (x + inputOffset))} in int32, then
 *       {@code clamp(multiplyByQuantizedMultiplier(acc, multiplier[oc], shift[oc]) + outputOffset,
 *       activationMin, activationMax)}.</li>
 * </ul>
 * Legal ranges: the geometry's ({@link ConvGeometry}); {@code inputOffset} (minus the input
 * zero point) in [-127, 128]; {@code outputOffset} (the output zero point) in [-128, 127];
 * {@code -128 <= activationMin <= activationMax <= 127}; shifts in [-31, 31].
 */
public final class ConvParams {
    public final ConvGeometry geometry;
    public final int inputOffset;
    public final int outputOffset;
    public final int activationMin;
    public final int activationMax;
    // Package-private: kernels read them directly; the public accessors copy.
    final int[] multipliers;
    final int[] shifts;

    private ConvParams(ConvGeometry geometry, Builder b, int[] multipliers, int[] shifts) {
        this.geometry = geometry;
        inputOffset = b.inputOffset;
        outputOffset = b.outputOffset;
        activationMin = b.activationMin;
        activationMax = b.activationMax;
        this.multipliers = multipliers;
        this.shifts = shifts;
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

    @Override
    public String toString() {
        return "ConvParams{" + geometry + ", inputOffset=" + inputOffset + ", outputOffset=" + outputOffset
                + ", activation=[" + activationMin + "," + activationMax + "]"
                + ", multipliers=" + Arrays.toString(multipliers) + ", shifts=" + Arrays.toString(shifts) + "}";
    }

    /**
     * Builder; {@link #build()} validates everything and throws {@link IllegalArgumentException}. The
     * window setters write to a {@link ConvGeometry.Builder} (or {@link #geometry} starts from a built one).
     */
    public static final class Builder {
        private ConvGeometry.Builder window = ConvGeometry.builder();
        private int inputOffset, outputOffset;
        private int activationMin = -128, activationMax = 127;
        private int[] multipliers = new int[0];
        private int[] shifts = new int[0];
        /** Set by {@link #perTensor}: one multiplier and shift, expanded to every output channel by {@link #build()}. */
        private boolean perTensor;

        private Builder() {
        }

        /** The window of {@code g}; later window setters change it. */
        public Builder geometry(ConvGeometry g) {
            window = g.toBuilder();
            return this;
        }

        public Builder input(int batches, int height, int width, int channels) {
            window.batches(batches).input(height, width, channels);
            return this;
        }

        public Builder output(int height, int width, int channels) {
            window.output(height, width, channels);
            return this;
        }

        public Builder kernel(int height, int width) {
            window.kernel(height, width);
            return this;
        }

        public Builder stride(int height, int width) {
            window.stride(height, width);
            return this;
        }

        public Builder dilation(int height, int width) {
            window.dilation(height, width);
            return this;
        }

        public Builder padding(int top, int left, int bottom, int right) {
            window.padding(top, left, bottom, right);
            return this;
        }

        public Builder depthMultiplier(int depthMultiplier) {
            window.depthMultiplier(depthMultiplier);
            return this;
        }

        /** Conv only: channel groups (ONNX Conv {@code group}); 1 by default. */
        public Builder groups(int groups) {
            window.groups(groups);
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
            this.perTensor = false;
            return this;
        }

        /** Per-tensor requantization: the same multiplier and shift for every output channel. */
        public Builder perTensor(int multiplier, int shift) {
            this.multipliers = new int[] {multiplier};
            this.shifts = new int[] {shift};
            this.perTensor = true;
            return this;
        }

        public ConvParams build() {
            ConvGeometry g = window.build().checkConv();
            Checks.inRange("inputOffset", inputOffset, -127, 128);
            Checks.inRange("outputOffset", outputOffset, -128, 127);
            Checks.activation(activationMin, activationMax);
            int[] m = multipliers.clone();
            int[] s = shifts.clone();
            if (perTensor) {
                m = new int[g.outputC];
                s = new int[g.outputC];
                Arrays.fill(m, multipliers[0]);
                Arrays.fill(s, shifts[0]);
            }
            Checks.requantization(m, s, g.outputC);
            return new ConvParams(g, this, m, s);
        }
    }
}
