package dev.edgeq.converter;

import dev.edgeq.runtime.ModelFormat;

/**
 * The .eqm format version this converter writes (the runtime's {@link ModelFormat}: one source
 * of truth) and the producer strings it records.
 */
public final class EqmFormat {
    public static final int MAJOR = ModelFormat.MAJOR;
    public static final int MINOR = ModelFormat.MINOR;
    public static final String PRODUCER = "edgeq";
    public static final String PRODUCER_VERSION = "0.1.0";

    private EqmFormat() {
    }
}
