package dev.edgeq.runtime.kernels;

/**
 * Shape of a 2-D convolution or pooling window over NHWC tensors: the dims, kernel, stride,
 * dilation, padding, depth multiplier and groups, and the one place that validates them (CMSIS-NN's
 * {@code cmsis_nn_dims} plus the window half of {@code cmsis_nn_conv_params}). The int8 parameters
 * ({@code int8.ConvParams}, {@code int8.PoolParams}) hold one and add their arithmetic; the float
 * kernels take it as it is. Immutable, built at prepare time; kernels trust it.
 *
 * <ul>
 *   <li>Input NHWC {@code [batches][inputH][inputW][inputC]}, output NHWC
 *       {@code [batches][outputH][outputW][outputC]}. The operators run batch 1; the int8 kernels
 *       and their tests take more.</li>
 *   <li>Output position {@code o} reads input position {@code o * stride - padBegin + k * dilation}
 *       for {@code k} in {@code [0, kernel)}; positions outside {@code [0, input)} are padding and
 *       are never read.</li>
 *   <li>Legal ranges ({@link Builder#build()}): sizes, strides, dilations, depth multiplier and groups
 *       >= 1; pads >= 0; groups divide both channel counts and exclude a depth multiplier; tensor
 *       sizes fit in an int. The output size follows {@link #checkConv()} (a convolution) or
 *       {@link #checkPool()} (a pooling window), which the int8 parameters call; the float
 *       operators check the same rule on the model before they build one.</li>
 * </ul>
 */
public final class ConvGeometry {
    public final int batches;
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
    /** Depthwise: output channel {@code oc} reads input channel {@code oc / depthMultiplier} (1 otherwise). */
    public final int depthMultiplier;
    /** Conv: channel groups; output channel {@code oc} reads group {@code oc / (outputC / groups)}'s input channels. */
    public final int groups;

    private ConvGeometry(Builder b) {
        batches = b.batches;
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

    /** A builder holding this geometry's values, to change some of them. */
    public Builder toBuilder() {
        return builder().batches(batches).input(inputH, inputW, inputC).output(outputH, outputW, outputC)
                .kernel(kernelH, kernelW).stride(strideH, strideW).dilation(dilationH, dilationW)
                .padding(padTop, padLeft, padBottom, padRight).depthMultiplier(depthMultiplier).groups(groups);
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
     * This geometry as a convolution's: each output size must equal the floor form of
     * {@link #outputSize(int, int, int, int, int, int, boolean)}, and the conv filter's size fit in an int.
     *
     * @return this
     * @throws IllegalArgumentException naming the axis, the sizes and the expected output
     */
    public ConvGeometry checkConv() {
        checkConv("height", inputH, padTop, padBottom, kernelH, dilationH, strideH, outputH);
        checkConv("width", inputW, padLeft, padRight, kernelW, dilationW, strideW, outputW);
        Checks.fitsInt("filter size", (long) outputC * kernelH * kernelW * groupInputChannels());
        return this;
    }

    private static void checkConv(String dim, int in, int padBegin, int padEnd, int kernel, int dilation, int stride, int out) {
        int expected = outputSize(in, kernel, stride, dilation, padBegin, padEnd, false);
        if (expected == 0) {
            throw new IllegalArgumentException("conv " + dim + ": dilated filter " + effectiveKernel(kernel, dilation)
                    + " larger than padded input " + ((long) in + padBegin + padEnd));
        }
        if (expected != out) {
            throw new IllegalArgumentException("conv output " + dim + " " + out + " does not match input " + in
                    + ", pads " + padBegin + "/" + padEnd + ", filter " + kernel + ", dilation " + dilation
                    + ", stride " + stride + " (expected " + expected + ")");
        }
    }

    /**
     * This geometry as a pooling window's (no dilation, no groups, the input's channels): each output
     * size may be the floor or the ceil form ({@code ceil_mode}) of the rule, so the last window may
     * overhang even the declared end padding, but every window must overlap the input.
     *
     * @return this
     * @throws IllegalArgumentException naming the axis and the sizes
     */
    public ConvGeometry checkPool() {
        if (dilationH != 1 || dilationW != 1 || depthMultiplier != 1 || groups != 1 || outputC != inputC) {
            throw new IllegalArgumentException("pool: a window with dilation " + dilationH + "x" + dilationW + ", depth multiplier "
                    + depthMultiplier + ", groups " + groups + " or output channels " + outputC + " != input channels " + inputC);
        }
        checkPool("height", inputH, padTop, padBottom, kernelH, strideH, outputH);
        checkPool("width", inputW, padLeft, padRight, kernelW, strideW, outputW);
        return this;
    }

    private static void checkPool(String dim, int in, int padBegin, int padEnd, int kernel, int stride, int out) {
        int floorOut = outputSize(in, kernel, stride, 1, padBegin, padEnd, false);
        int ceilOut = outputSize(in, kernel, stride, 1, padBegin, padEnd, true);
        if (floorOut == 0) {
            throw new IllegalArgumentException("pool " + dim + ": filter " + kernel + " larger than padded input "
                    + ((long) in + padBegin + padEnd));
        }
        if (out < floorOut || out > ceilOut) {
            throw new IllegalArgumentException("pool output " + dim + " " + out + " is neither the floor (" + floorOut
                    + ") nor the ceil (" + ceilOut + ") size for input " + in + ", pads " + padBegin + "/" + padEnd
                    + ", filter " + kernel + ", stride " + stride);
        }
        if (kernel <= padBegin || (long) (out - 1) * stride - padBegin >= in) {
            throw new IllegalArgumentException("pool " + dim + ": a window lies entirely in the padding (input " + in
                    + ", pad begin " + padBegin + ", filter " + kernel + ", stride " + stride + ", output " + out + ")");
        }
    }

    /**
     * The same convolution (batch 1) restricted to output rows {@code [from, to)}: its input starts at
     * input row {@link #firstInputRow(int) firstInputRow(from)} and holds only the rows those outputs
     * read, with the top and bottom padding they see. Every output value is computed exactly as in the
     * whole convolution (used to split one operator over threads). Null when those rows read no input row.
     */
    public ConvGeometry outputRows(int from, int to) {
        if (batches != 1) {
            throw new IllegalStateException("output rows of " + batches + " batches are not contiguous");
        }
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
        return toBuilder()
                .input(end - start + 1, inputW, inputC)
                .output(to - from, outputW, outputC)
                .padding(Math.max(0, -first), padLeft, Math.max(0, last - (inputH - 1)), padRight)
                .build();
    }

    /** The first input row that output row {@code row} reads (0 when it starts in the top padding). */
    public int firstInputRow(int row) {
        return Math.max(0, row * strideH - padTop);
    }

    /** Elements of the input tensor (all batches). */
    public int inputSize() {
        return batches * inputH * inputW * inputC;
    }

    /** Elements of the output tensor (all batches). */
    public int outputSize() {
        return batches * outputH * outputW * outputC;
    }

    /** Input channels each output channel of a conv reads ({@code inputC / groups}). */
    public int groupInputChannels() {
        return inputC / groups;
    }

    /** Elements of a conv filter (OHWI, I = input channels per group). */
    public int convFilterSize() {
        return outputC * kernelH * kernelW * groupInputChannels();
    }

    /** Elements of a depthwise filter (1HWO). */
    public int depthwiseFilterSize() {
        return kernelH * kernelW * outputC;
    }

    /** Multiply-accumulates of a regular convolution (all batches, padding positions included). */
    public long convMacs() {
        return (long) outputSize() * kernelH * kernelW * groupInputChannels();
    }

    /** Multiply-accumulates of a depthwise convolution. */
    public long depthwiseMacs() {
        return (long) outputSize() * kernelH * kernelW;
    }

    @Override
    public String toString() {
        return "batches " + batches + " in " + inputH + "x" + inputW + "x" + inputC + " out " + outputH + "x" + outputW + "x" + outputC
                + " kernel " + kernelH + "x" + kernelW + " stride " + strideH + "," + strideW
                + " dilation " + dilationH + "," + dilationW + " pad t" + padTop + " l" + padLeft
                + " b" + padBottom + " r" + padRight + " mult " + depthMultiplier + " groups " + groups;
    }

    /** Builder; every value defaults to 1 (pads to 0), {@link #build()} validates. */
    public static final class Builder {
        private int batches = 1;
        private int inputH = 1, inputW = 1, inputC = 1, outputH = 1, outputW = 1, outputC = 1;
        /** Set by {@link #output(int, int)}: the output has the input's channels (pooling). */
        private boolean outputCFromInput;
        private int kernelH = 1, kernelW = 1, strideH = 1, strideW = 1, dilationH = 1, dilationW = 1;
        private int padTop, padLeft, padBottom, padRight;
        private int depthMultiplier = 1;
        private int groups = 1;

        private Builder() {
        }

        public Builder batches(int n) { batches = n; return this; }
        public Builder input(int h, int w, int c) { inputH = h; inputW = w; inputC = c; return this; }
        public Builder output(int h, int w, int c) { outputH = h; outputW = w; outputC = c; outputCFromInput = false; return this; }
        /** An output with the input's channels, as pooling's. */
        public Builder output(int h, int w) { outputH = h; outputW = w; outputCFromInput = true; return this; }
        public Builder kernel(int h, int w) { kernelH = h; kernelW = w; return this; }
        public Builder stride(int h, int w) { strideH = h; strideW = w; return this; }
        public Builder dilation(int h, int w) { dilationH = h; dilationW = w; return this; }
        public Builder padding(int top, int left, int bottom, int right) {
            padTop = top; padLeft = left; padBottom = bottom; padRight = right; return this;
        }
        public Builder depthMultiplier(int m) { depthMultiplier = m; return this; }
        public Builder groups(int g) { groups = g; return this; }

        /**
         * The geometry, its values checked against the legal ranges (not yet the output-size rule:
         * {@link ConvGeometry#checkConv()}, {@link ConvGeometry#checkPool()}).
         *
         * @throws IllegalArgumentException naming the first value out of range
         */
        public ConvGeometry build() {
            if (outputCFromInput) {
                outputC = inputC;
            }
            Checks.positive("batches", batches);
            Checks.positive("inputH", inputH);
            Checks.positive("inputW", inputW);
            Checks.positive("inputC", inputC);
            Checks.positive("outputH", outputH);
            Checks.positive("outputW", outputW);
            Checks.positive("outputC", outputC);
            Checks.positive("kernelH", kernelH);
            Checks.positive("kernelW", kernelW);
            Checks.positive("strideH", strideH);
            Checks.positive("strideW", strideW);
            Checks.positive("dilationH", dilationH);
            Checks.positive("dilationW", dilationW);
            Checks.positive("depthMultiplier", depthMultiplier);
            Checks.positive("groups", groups);
            if (inputC % groups != 0 || outputC % groups != 0) {
                throw new IllegalArgumentException("conv groups " + groups + " do not divide input channels " + inputC
                        + " and output channels " + outputC);
            }
            if (groups > 1 && depthMultiplier > 1) {
                throw new IllegalArgumentException("conv: groups " + groups + " and depth multiplier " + depthMultiplier
                        + " exclude each other (a depthwise conv has its own filter layout)");
            }
            Checks.nonNegative("padTop", padTop);
            Checks.nonNegative("padLeft", padLeft);
            Checks.nonNegative("padBottom", padBottom);
            Checks.nonNegative("padRight", padRight);
            Checks.fitsInt("input size", (long) batches * inputH * inputW * inputC);
            Checks.fitsInt("output size", (long) batches * outputH * outputW * outputC);
            return new ConvGeometry(this);
        }
    }
}
