package dev.edgeq.converter.dataset;

/** A dataset that cannot be read; the message names the file or folder and what is wrong. */
public final class DatasetException extends Exception {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
