package dev.edgeq.runtime.kernels.int8;

/**
 * Gathers one output pixel's receptive field into an int "patch" of {@code filterHeight *
 * filterWidth * inputChannels} values in HWI order (the order of an OHWI filter row), each value
 * already shifted by {@code inputOffset}; positions in the padding become 0 so that they contribute
 * nothing, exactly as in the reference kernel. Costs K per pixel against K * outputChannels MACs.
 */
final class Im2col {
    private Im2col() {
    }

    static void fill(ConvParams p, byte[] input, int inputStart, int batch, int oy, int ox, int[] patch, int patchStart) {
        final int inC = p.inputChannels;
        final int inY0 = oy * p.strideHeight - p.padTop;
        final int inX0 = ox * p.strideWidth - p.padLeft;
        final int offset = p.inputOffset;
        final int rowLength = p.filterWidth * inC;
        final boolean denseRow = p.dilationWidth == 1 && inX0 >= 0 && inX0 + p.filterWidth <= p.inputWidth;
        int pos = patchStart;
        for (int ky = 0; ky < p.filterHeight; ky++) {
            int iy = inY0 + ky * p.dilationHeight;
            if (iy < 0 || iy >= p.inputHeight) {
                java.util.Arrays.fill(patch, pos, pos + rowLength, 0);
                pos += rowLength;
                continue;
            }
            int rowBase = inputStart + ((batch * p.inputHeight + iy) * p.inputWidth) * inC;
            if (denseRow) {
                // The whole filter row lies inside the input and is contiguous in NHWC.
                int src = rowBase + inX0 * inC;
                for (int i = 0; i < rowLength; i++) {
                    patch[pos + i] = input[src + i] + offset;
                }
                pos += rowLength;
                continue;
            }
            for (int kx = 0; kx < p.filterWidth; kx++) {
                int ix = inX0 + kx * p.dilationWidth;
                if (ix < 0 || ix >= p.inputWidth) {
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
