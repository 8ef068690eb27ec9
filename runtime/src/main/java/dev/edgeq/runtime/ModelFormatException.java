package dev.edgeq.runtime;

/**
 * A model file that cannot be used: unreadable, of a newer format, or inconsistent. The message
 * names the tensor or operator and what is wrong with it.
 */
public final class ModelFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
