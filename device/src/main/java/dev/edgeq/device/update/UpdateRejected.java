package dev.edgeq.device.update;

/** A model update that is not installed; the message says why and goes to {@code model/status}. */
public final class UpdateRejected extends Exception {
    private static final long serialVersionUID = 1L;

    public UpdateRejected(String message) {
        super(message);
    }

    public UpdateRejected(String message, Throwable cause) {
        super(message, cause);
    }
}
