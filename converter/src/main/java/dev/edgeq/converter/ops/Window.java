package dev.edgeq.converter.ops;

/**
 * What one output position of an operator sees of its input, for receptive-field arithmetic
 * ({@code rf_out = rf_in + (kernel - 1) * dilation * jump_in}, {@code jump_out = jump_in * stride})
 * and inspect's "kernel" column.
 *
 * @param whole the whole plane (global pooling, dense layers): kernel and stride are the input's size
 * @param label "3x3/2" style description, empty for element-wise operators
 */
public record Window(int kernelH, int kernelW, int strideH, int strideW, int dilationH, int dilationW, boolean whole,
        String label) {
    /** An element-wise operator. */
    public static final Window POINT = new Window(1, 1, 1, 1, 1, 1, false, "");
    /** An operator that sees its whole input (dense, global pooling). */
    public static final Window WHOLE = new Window(1, 1, 1, 1, 1, 1, true, "");
}
