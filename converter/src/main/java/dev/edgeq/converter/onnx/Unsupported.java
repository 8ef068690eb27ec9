package dev.edgeq.converter.onnx;

/**
 * Thrown by an op's lowering when the node uses a feature edgeq does not support (a reason such
 * as "group=2 (only 1 or channels)"). The importer collects these for all nodes and reports them
 * together; it never escapes the importer.
 */
public final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;

    public Unsupported(String reason) {
        super(reason, null, false, false);
    }
}
