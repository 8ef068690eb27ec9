package dev.edgeq.runtime.kernels.float32;

/**
 * Float element-wise kernels over flat arrays. Transcendentals use {@link StrictMath} so results
 * are bit-identical on x86 and ARM JVMs (HotSpot's Math.exp intrinsics differ between them).
 */
public final class ElementwiseFloat {
    private ElementwiseFloat() {}

    /** out = clamp(a + b); a and b of equal length. */
    public static void add(int n, float[] a, int aOff, float[] b, int bOff, float actMin, float actMax, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.min(Math.max(a[aOff + i] + b[bOff + i], actMin), actMax);
        }
    }

    /** out[p, c] = clamp(a[p, c] + perChannel[c]) over {@code n} elements with {@code channels} innermost. */
    public static void addPerChannel(int n, int channels, float[] a, int aOff, float[] perChannel, float actMin, float actMax,
                                     float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.min(Math.max(a[aOff + i] + perChannel[i % channels], actMin), actMax);
        }
    }

    /** out[p, c] = a[p, c] * perChannel[c]. */
    public static void mulPerChannel(int n, int channels, float[] a, int aOff, float[] perChannel, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = a[aOff + i] * perChannel[i % channels];
        }
    }

    /** out = clamp(a) (ReLU: [0, inf); ReLU6: [0, 6]; Clip: [min, max]). */
    public static void clamp(int n, float[] a, int aOff, float min, float max, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.min(Math.max(a[aOff + i], min), max);
        }
    }

    public static void leakyRelu(int n, float alpha, float[] a, int aOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Activations.prelu(a[aOff + i], alpha);
        }
    }

    public static void sigmoid(int n, float[] a, int aOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Activations.sigmoid(a[aOff + i]);
        }
    }

    public static void copy(int n, float[] a, int aOff, float[] out, int outOff) {
        System.arraycopy(a, aOff, out, outOff, n);
    }
}
