package dev.edgeq.runtime.kernels;

/**
 * Shape of a 2-D convolution or pooling window over an NHWC tensor with batch 1: what a kernel
 * needs to walk the input. Built at prepare time from the validated model; kernels trust it.
 *
 * <p>Output position {@code o} reads input position {@code o * stride - padBegin + k * dilation}
 * for {@code k} in {@code [0, kernel)}; positions outside {@code [0, input)} are padding and are
 * never read.
 */
public final class ConvGeometry {
    public final int inputH;
    public final int inputW;
    public final int inputC;
    public final int outputH;
    public final int outputW;
    public final int outputC;
    public final int kernelH;
    public final int kernelW;
    public final int strideH;
    public final int strideW;
    public final int dilationH;
    public final int dilationW;
    public final int padTop;
    public final int padLeft;
    public final int padBottom;
    public final int padRight;
    /** Depthwise: output channel {@code oc} reads input channel {@code oc / depthMultiplier}. */
    public final int depthMultiplier;
    /** Conv: channel groups; output channel {@code oc} reads group {@code oc / (outputC / groups)}'s input channels. */
    public final int groups;

    private ConvGeometry(Builder b) {
        inputH = b.inputH;
        inputW = b.inputW;
        inputC = b.inputC;
        outputH = b.outputH;
        outputW = b.outputW;
        outputC = b.outputC;
        kernelH = b.kernelH;
        kernelW = b.kernelW;
        strideH = b.strideH;
        strideW = b.strideW;
        dilationH = b.dilationH;
        dilationW = b.dilationW;
        padTop = b.padTop;
        padLeft = b.padLeft;
        padBottom = b.padBottom;
        padRight = b.padRight;
        depthMultiplier = b.depthMultiplier;
        groups = b.groups;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The one output-size rule of edgeq's conv and pool windows, along one axis:
     * {@code (in + padBegin + padEnd - effectiveKernel) / stride + 1}, the division rounded down, or up with
     * {@code ceil} (pool ceil_mode); 0 when the window is larger than the padded input. Computed in long, so
     * any int arguments give the exact size (capped at Integer.MAX_VALUE, which no valid tensor reaches).
     */
    public static int outputSize(int in, int kernel, int stride, int dilation, int padBegin, int padEnd, boolean ceil) {
        long span = (long) in + padBegin + padEnd - effectiveKernel(kernel, dilation);
        if (span < 0) {
            return 0;
        }
        long size = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    /** The input extent a kernel covers with dilation: {@code (kernel - 1) * dilation + 1}. */
    public static long effectiveKernel(int kernel, int dilation) {
        return (long) (kernel - 1) * dilation + 1;
    }

    /**
     * The same convolution restricted to output rows {@code [from, to)}: its input starts at input row
     * {@link #firstInputRow(int) firstInputRow(from)} and holds only the rows those outputs read, with
     * the top and bottom padding they see. Every output value is computed exactly as in the whole
     * convolution (used to split one operator over threads). Null when those rows read no input row.
     */
    public ConvGeometry outputRows(int from, int to) {
        if (from < 0 || to > outputH || from >= to) {
            throw new IllegalArgumentException("output rows [" + from + ", " + to + ") of " + outputH);
        }
        int first = from * strideH - padTop;
        int last = (to - 1) * strideH - padTop + (kernelH - 1) * dilationH;
        int start = Math.max(0, first);
        int end = Math.min(inputH - 1, last);
        if (end < start) {
            return null;
        }
        return builder()
                .input(end - start + 1, inputW, inputC)
                .output(to - from, outputW, outputC)
                .kernel(kernelH, kernelW)
                .stride(strideH, strideW)
                .dilation(dilationH, dilationW)
                .padding(Math.max(0, -first), padLeft, Math.max(0, last - (inputH - 1)), padRight)
                .depthMultiplier(depthMultiplier)
                .groups(groups)
                .build();
    }

    /** The first input row that output row {@code row} reads (0 when it starts in the top padding). */
    public int firstInputRow(int row) {
        return Math.max(0, row * strideH - padTop);
    }

    public int inputSize() { return inputH * inputW * inputC; }
    public int outputSize() { return outputH * outputW * outputC; }

    @Override
    public String toString() {
        return "in " + inputH + "x" + inputW + "x" + inputC + " out " + outputH + "x" + outputW + "x" + outputC
                + " kernel " + kernelH + "x" + kernelW + " stride " + strideH + "," + strideW
                + " dilation " + dilationH + "," + dilationW + " pad t" + padTop + " l" + padLeft
                + " b" + padBottom + " r" + padRight + " mult " + depthMultiplier + " groups " + groups;
    }

    public static final class Builder {
        private int inputH = 1, inputW = 1, inputC = 1, outputH = 1, outputW = 1, outputC = 1;
        private int kernelH = 1, kernelW = 1, strideH = 1, strideW = 1, dilationH = 1, dilationW = 1;
        private int padTop, padLeft, padBottom, padRight;
        private int depthMultiplier = 1;
        private int groups = 1;

        public Builder input(int h, int w, int c) { inputH = h; inputW = w; inputC = c; return this; }
        public Builder output(int h, int w, int c) { outputH = h; outputW = w; outputC = c; return this; }
        public Builder kernel(int h, int w) { kernelH = h; kernelW = w; return this; }
        public Builder stride(int h, int w) { strideH = h; strideW = w; return this; }
        public Builder dilation(int h, int w) { dilationH = h; dilationW = w; return this; }
        public Builder padding(int top, int left, int bottom, int right) {
            padTop = top; padLeft = left; padBottom = bottom; padRight = right; return this;
        }
        public Builder depthMultiplier(int m) { depthMultiplier = m; return this; }
        public Builder groups(int g) { groups = g; return this; }
        public ConvGeometry build() { return new ConvGeometry(this); }
    }
}
