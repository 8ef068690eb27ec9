package dev.edgeq.runtime.kernels.int8;

/**
 * Fast int8 PRelu, bit-exact with {@link PReluReference}: prepare tabulates {@link PReluParams#apply}
 * per channel (256 bytes per channel), eval is one lookup per element.
 */
public final class PReluFast {
    private final int channels;
    /** {@code table[c * 256 + x + 128]}. */
    private final byte[] table;

    private PReluFast(PReluParams p) {
        channels = p.channels();
        table = new byte[channels * 256];
        for (int c = 0; c < channels; c++) {
            for (int x = -128; x <= 127; x++) {
                table[c * 256 + x + 128] = (byte) p.apply(x, c);
            }
        }
    }

    public static PReluFast prepare(PReluParams p) {
        return new PReluFast(p);
    }

    /** {@code length} elements, a multiple of the channel count; allocation-free. */
    public void eval(byte[] input, int inputStart, byte[] output, int outputStart, int length) {
        final byte[] t = table;
        final int channels = this.channels;
        for (int pixel = 0; pixel < length; pixel += channels) {
            int in = inputStart + pixel;
            int out = outputStart + pixel;
            for (int c = 0, row = 128; c < channels; c++, row += 256) {
                output[out + c] = t[row + input[in + c]];
            }
        }
    }
}
