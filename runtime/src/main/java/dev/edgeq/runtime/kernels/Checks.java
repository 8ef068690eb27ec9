package dev.edgeq.runtime.kernels;

/**
 * Prepare-time argument checks shared by the geometry and the int8 parameters classes (never called
 * from eval); each message names the value and its legal range.
 */
public final class Checks {
    private Checks() {
    }

    public static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }

    public static void nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
    }

    public static void inRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " outside [" + min + ", " + max + "]");
        }
    }

    /** Quantization scales: positive and finite; the message names the op and lists them all. */
    public static void scales(String op, float... scales) {
        for (float s : scales) {
            if (!(s > 0f) || Float.isInfinite(s)) {
                throw new IllegalArgumentException(op + ": scales must be positive and finite, got " + java.util.Arrays.toString(scales));
            }
        }
    }

    public static void activation(int min, int max) {
        if (min < -128 || max > 127 || min > max) {
            throw new IllegalArgumentException("activation range [" + min + ", " + max + "] is not a non-empty sub-range of [-128, 127]");
        }
    }

    public static void requantization(int[] multipliers, int[] shifts, int channels) {
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

    public static void fitsInt(String what, long value) {
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " " + value + " exceeds the largest Java array (" + Integer.MAX_VALUE + ")");
        }
    }

    public static void array(String name, byte[] array, int start, long length) {
        slice(name, array == null ? -1 : array.length, start, length);
    }

    public static void array(String name, int[] array, int start, long length) {
        slice(name, array == null ? -1 : array.length, start, length);
    }

    /** {@code arrayLength} -1: the array is null. */
    private static void slice(String name, int arrayLength, int start, long length) {
        if (arrayLength < 0) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (start < 0 || start + length > arrayLength) {
            throw new IllegalArgumentException(name + " needs " + length + " elements from index " + start
                    + " but has length " + arrayLength);
        }
    }
}
