package dev.edgeq.runtime.kernels.int8;

/** Prepare-time argument checks shared by the parameters classes (never called from eval). */
final class Checks {
    private Checks() {
    }

    static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }

    static void nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
    }

    static void inRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " outside [" + min + ", " + max + "]");
        }
    }

    /** Quantization scales: positive and finite; the message names the op and lists them all. */
    static void scales(String op, float... scales) {
        for (float s : scales) {
            if (!(s > 0f) || Float.isInfinite(s)) {
                throw new IllegalArgumentException(op + ": scales must be positive and finite, got " + java.util.Arrays.toString(scales));
            }
        }
    }

    static void activation(int min, int max) {
        if (min < -128 || max > 127 || min > max) {
            throw new IllegalArgumentException("activation range [" + min + ", " + max + "] is not a non-empty sub-range of [-128, 127]");
        }
    }

    static void requantization(int[] multipliers, int[] shifts, int channels) {
        if (multipliers.length != channels || shifts.length != channels) {
            throw new IllegalArgumentException("need " + channels + " multipliers and shifts (one per output channel), got "
                    + multipliers.length + " and " + shifts.length);
        }
        for (int c = 0; c < channels; c++) {
            if (shifts[c] < -31 || shifts[c] > 31) {
                throw new IllegalArgumentException("shift " + shifts[c] + " of output channel " + c + " outside [-31, 31]");
            }
        }
    }

    static void fitsInt(String what, long value) {
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " " + value + " exceeds the largest Java array (" + Integer.MAX_VALUE + ")");
        }
    }

    static void array(String name, byte[] array, int start, long length) {
        if (array == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (start < 0 || start + length > array.length) {
            throw new IllegalArgumentException(name + " needs " + length + " elements from index " + start
                    + " but has length " + array.length);
        }
    }

    static void array(String name, int[] array, int start, long length) {
        if (array == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (start < 0 || start + length > array.length) {
            throw new IllegalArgumentException(name + " needs " + length + " elements from index " + start
                    + " but has length " + array.length);
        }
    }
}
