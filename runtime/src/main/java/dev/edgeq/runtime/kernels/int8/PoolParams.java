package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.Checks;
import dev.edgeq.runtime.kernels.ConvGeometry;

/**
 * Prepare-time parameters of int8 max / average pooling (immutable, validated by
 * {@link Builder#build()}): the window ({@link #geometry}, checked by
 * {@link ConvGeometry#checkPool()}), the activation clamp and the average's divisor;
 * {@link #global} builds the global variants (output 1x1xC).
 *
 * <ul>
 *   <li>Input NHWC {@code [batches][inputH][inputW][inputC]}, output NHWC
 *       {@code [batches][outputH][outputW][outputC]} with {@code outputC = inputC}, both int8 with
 *       the same scale and zero point (pooling does not requantize).</li>
 *   <li>Output position {@code o} covers input {@code [o * stride - padBegin, ... + kernel)}; only
 *       positions inside the input are read. The output size may be the floor or the ceil form
 *       ({@code ceil_mode}) of {@code (in + padBegin + padEnd - kernel) / stride + 1}, so the last
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
    public final ConvGeometry geometry;
    public final int activationMin;
    public final int activationMax;
    /** Average pooling only: divide by the window clipped to the padded input (ONNX count_include_pad=1). */
    public final boolean countIncludePad;

    private PoolParams(ConvGeometry geometry, Builder b) {
        this.geometry = geometry;
        activationMin = b.activationMin;
        activationMax = b.activationMax;
        countIncludePad = b.countIncludePad;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** GlobalAveragePool / GlobalMaxPool: one window covering the whole input, output 1x1xC. */
    public static PoolParams global(int batches, int height, int width, int channels, int activationMin, int activationMax) {
        return builder().input(batches, height, width, channels).output(1, 1).kernel(height, width)
                .activation(activationMin, activationMax).build();
    }

    @Override
    public String toString() {
        return "PoolParams{" + geometry + ", activation=[" + activationMin + "," + activationMax + "], countIncludePad="
                + countIncludePad + "}";
    }

    /**
     * Builder; {@link #build()} validates everything and throws {@link IllegalArgumentException}. The
     * window setters write to a {@link ConvGeometry.Builder} (or {@link #geometry} starts from a built one).
     */
    public static final class Builder {
        private ConvGeometry.Builder window = ConvGeometry.builder();
        private int activationMin = -128, activationMax = 127;
        private boolean countIncludePad;

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

        /** The output keeps the input's channels. */
        public Builder output(int height, int width) {
            window.output(height, width);
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

        public Builder padding(int top, int left, int bottom, int right) {
            window.padding(top, left, bottom, right);
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
            ConvGeometry g = window.build().checkPool();
            Checks.activation(activationMin, activationMax);
            // The average's int sum of up to kernelH * kernelW values of magnitude <= 128.
            Checks.fitsInt("window size", (long) g.kernelH * g.kernelW * 255);
            return new PoolParams(g, this);
        }
    }
}
