package dev.edgeq.runtime.kernels.float32;

import dev.edgeq.runtime.kernels.ConvGeometry;
import dev.edgeq.runtime.kernels.int8.VectorKernelFactory;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MaxPool2DFloatFast} in lanes: per output pixel and channel vector, the maximum over the
 * window's positions inside the input, then the clamp; channels past the last whole vector as the
 * scalar kernel does. The lane maximum is {@code Math.max}'s (NaN wins, {@code -0 < +0}), which is
 * commutative and associative, so the bits are the reference's. The scalar kernel's loops over 16-64
 * channels ran in C2's scalar pre- and post-loops (110 ns per output pixel of 16 channels). Loads
 * and stores are {@code float[]} only. Loaded only through {@code VectorSupport}.
 */
public final class MaxPool2DFloatVector {
    private static final VectorSpecies<Float> F = VectorKernelFactory.FLOATS;
    private static final int L = F.length();

    private MaxPool2DFloatVector() {
    }

    /** Same contract as {@link MaxPool2DFloat#maxPool}. */
    public static void maxPool(ConvGeometry g, float[] input, int inOff, float actMin, float actMax,
                               float[] output, int outOff) {
        final int c = g.outputC;
        final int whole = c / L * L;
        final int rowStride = g.inputW * g.inputC;
        FloatVector vlo = FloatVector.broadcast(F, actMin);
        FloatVector vhi = FloatVector.broadcast(F, actMax);
        for (int oy = 0; oy < g.outputH; oy++) {
            int y0 = oy * g.strideH - g.padTop;
            int yStart = Math.max(y0, 0);
            int yEnd = Math.min(y0 + g.kernelH, g.inputH);
            for (int ox = 0; ox < g.outputW; ox++) {
                int x0 = ox * g.strideW - g.padLeft;
                int xStart = Math.max(x0, 0);
                int xEnd = Math.min(x0 + g.kernelW, g.inputW);
                int out = outOff + (oy * g.outputW + ox) * c;
                if (yStart >= yEnd || xStart >= xEnd) {
                    java.util.Arrays.fill(output, out, out + c, Math.min(Math.max(Float.NEGATIVE_INFINITY, actMin), actMax));
                    continue;
                }
                int corner = inOff + (yStart * g.inputW + xStart) * g.inputC;
                int cols = xEnd - xStart;
                int positions = (yEnd - yStart) * cols;
                for (int ch = 0; ch < whole; ch += L) {
                    // One flat loop over the window's positions: with a loop per window row, C2 on JDK 17
                    // boxed the running maximum (a vector carried through nested loops), 158 KB per
                    // inference of the bundled seedcnn.
                    FloatVector m = FloatVector.fromArray(F, input, corner + ch);
                    int rowStart = corner + ch;
                    for (int p = 1, col = 1, i = rowStart + g.inputC; p < positions; p++) {
                        if (col == cols) {
                            col = 0;
                            rowStart += rowStride;
                            i = rowStart;
                        }
                        m = m.max(FloatVector.fromArray(F, input, i));
                        col++;
                        i += g.inputC;
                    }
                    m.max(vlo).min(vhi).intoArray(output, out + ch);
                }
                for (int ch = whole; ch < c; ch++) {
                    float m = input[corner + ch];
                    for (int y = yStart, row = corner + ch; y < yEnd; y++, row += rowStride) {
                        for (int i = row; i < row + cols * g.inputC; i += g.inputC) {
                            m = Math.max(m, input[i]);
                        }
                    }
                    output[out + ch] = Math.min(Math.max(m, actMin), actMax);
                }
            }
        }
    }
}
