package dev.edgeq.converter;

/**
 * A model that edgeq cannot convert: unsupported nodes (all of them listed in one message),
 * inconsistent shapes, missing inputs, or a corrupt/truncated file. Nothing has been written
 * when this is thrown.
 */
public class ConversionException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConversionException(String message) {
        super(message);
    }

    public ConversionException(String message, Throwable cause) {
        super(message, cause);
    }
}
