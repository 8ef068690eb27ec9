package dev.edgeq.runtime.kernels.int8;

import dev.edgeq.runtime.kernels.ConvGeometry;

/**
 * Gathers one output pixel's receptive field into an int "patch" of {@code kernelH *
 * kernelW * inputC} values in HWI order (the order of an OHWI filter row), each value
 * already shifted by {@code inputOffset}; positions in the padding become 0 so that they contribute
 * nothing, exactly as in the reference kernel. Costs K per pixel against K * outputC MACs.
 */
final class Im2col {
    private Im2col() {
    }

    static void fill(ConvParams p, byte[] input, int inputStart, int batch, int oy, int ox, int[] patch, int patchStart) {
        ConvGeometry g = p.geometry;
        final int inC = g.inputC;
        final int inY0 = oy * g.strideH - g.padTop;
        final int inX0 = ox * g.strideW - g.padLeft;
        final int offset = p.inputOffset;
        final int rowLength = g.kernelW * inC;
        final boolean denseRow = g.dilationW == 1 && inX0 >= 0 && inX0 + g.kernelW <= g.inputW;
        int pos = patchStart;
        for (int ky = 0; ky < g.kernelH; ky++) {
            int iy = inY0 + ky * g.dilationH;
            if (iy < 0 || iy >= g.inputH) {
                java.util.Arrays.fill(patch, pos, pos + rowLength, 0);
                pos += rowLength;
                continue;
            }
            int rowBase = inputStart + ((batch * g.inputH + iy) * g.inputW) * inC;
            if (denseRow) {
                // The whole filter row lies inside the input and is contiguous in NHWC.
                int src = rowBase + inX0 * inC;
                for (int i = 0; i < rowLength; i++) {
                    patch[pos + i] = input[src + i] + offset;
                }
                pos += rowLength;
                continue;
            }
            for (int kx = 0; kx < g.kernelW; kx++) {
                int ix = inX0 + kx * g.dilationW;
                if (ix < 0 || ix >= g.inputW) {
                    java.util.Arrays.fill(patch, pos, pos + inC, 0);
                } else {
                    int src = rowBase + ix * inC;
                    for (int ic = 0; ic < inC; ic++) {
                        patch[pos + ic] = input[src + ic] + offset;
                    }
                }
                pos += inC;
            }
        }
    }
}
