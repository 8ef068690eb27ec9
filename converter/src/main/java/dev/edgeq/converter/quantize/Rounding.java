package dev.edgeq.converter.quantize;

/** The one rounding rule of the quantizer (as TFLite's std::round): to nearest, ties away from zero. */
final class Rounding {
    private Rounding() {}

    static long halfAwayFromZero(double v) {
        double a = Math.abs(v);
        double floor = Math.floor(a);
        double r = a - floor >= 0.5 ? floor + 1.0 : floor; // a - floor is exact
        return (long) Math.copySign(r, v);
    }
}
